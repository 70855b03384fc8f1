-- pandoc filter for the guidelines' editions: boxes, alt text, annexes.
-- Boxes (`.admonition` divs) become a Typst `admonition()` call, or DOCX paragraphs in the
-- "Note Title" / "Note" styles. pandoc's Typst writer drops image alt text, which PDF/UA needs.

local function typst_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local function typst_inlines(inlines)
  return pandoc.write(pandoc.Pandoc({pandoc.Plain(inlines)}), 'typst'):gsub('%s+$', '')
end

local function admonition_kind(div)
  for _, class in ipairs(div.classes) do
    if class ~= 'admonition' then return class end
  end
  return 'note'
end

local function split_title(div)
  local first = div.content[1]
  if first and first.t == 'Div' and first.classes:includes('admonition-title') then
    local inlines = pandoc.utils.blocks_to_inlines(first.content)
    local rest = pandoc.List()
    for i = 2, #div.content do rest:insert(div.content[i]) end
    return inlines, rest
  end
  return nil, div.content
end

function Div(div)
  if not div.classes:includes('admonition') then return nil end
  local title, body = split_title(div)
  local kind = admonition_kind(div)
  if FORMAT:match('typst') then
    local call = '#admonition(kind: ' .. typst_string(kind)
    if title then call = call .. ', title: [' .. typst_inlines(title) .. ']' end
    local blocks = pandoc.List({pandoc.RawBlock('typst', call .. ')[')})
    blocks:extend(body)
    blocks:insert(pandoc.RawBlock('typst', ']'))
    return blocks
  elseif FORMAT:match('docx') then
    local blocks = pandoc.List()
    if title then
      blocks:insert(pandoc.Div({pandoc.Para(title)}, {['custom-style'] = 'Note Title'}))
    end
    blocks:insert(pandoc.Div(body, {['custom-style'] = 'Note'}))
    return blocks
  end
  return nil
end

local annexes_started = false

-- Annex titles are unnumbered (they carry their letter), so they do not step Typst's heading
-- counter: step it by hand, so that their sections are numbered A.1, B.1, ...
function Header(header)
  if header.level ~= 1 or not header.classes:includes('annex') or not FORMAT:match('typst') then
    return nil
  end
  local code = '#counter(heading).step()'
  if not annexes_started then
    annexes_started = true
    code = '#counter(heading).update(0)\n#set heading(numbering: annex-numbering)\n' .. code
  end
  return {pandoc.RawBlock('typst', code), header}
end

function Image(image)
  if FORMAT:match('typst') then
    local alt = pandoc.utils.stringify(image.caption)
    local width = image.attributes.width and (', width: ' .. image.attributes.width) or ', width: 100%'
    return pandoc.RawInline('typst', '#image(' .. typst_string(image.src) .. width
      .. ', alt: ' .. typst_string(alt) .. ')')
  end
  return nil
end
