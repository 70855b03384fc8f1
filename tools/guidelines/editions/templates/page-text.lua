-- pandoc filter for the preflight: the text a reader sees on the pages, to compare with what a
-- search finds in the PDF. Pictures are not text (their description is the PDF's alt text), and a
-- figure's caption is shortened in print (typst-layout.lua).
function Image() return {} end
function Figure(figure)
  figure.caption = {long = {}}
  return figure
end
