-- pandoc filter for the guidelines' editions, which pandoc reads from the HTML the site renders
-- (editions/chapters.py): footnotes, boxes, alt text, annexes.
-- Footnotes arrive as a reference span and a definition div each: joined here into real notes.
-- Boxes (`.admonition` divs) become a Typst `admonition()` call, or DOCX paragraphs in the
-- "Note Title" / "Note" styles. pandoc's Typst writer drops image alt text, which PDF/UA needs.

-- A level-1 heading is a chapter: it starts a new page, which Typst cannot do inside a list, box,
-- quote or footnote, so such a heading is shown as bold text instead.
local function flatten_chapter_headings(container)
  return container:walk({
    Header = function(header)
      if header.level == 1 then
        return pandoc.Para({pandoc.Strong(header.content)})
      end
    end,
  })
end

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

-- A part written in another language (a fallback chapter): pandoc's Typst writer sets its `lang` but
-- keeps the document's region, making "en-LV"; the part's own tag ("en-GB") gives both.
local function in_own_language(div)
  local code, region = div.attributes['lang']:match('^(%a+)%-?(%a*)$')
  if not code then return nil end
  local set = '#set text(lang: ' .. typst_string(code:lower())
    .. ', region: ' .. (region ~= '' and typst_string(region:upper()) or 'none') .. ')'
  div.attributes['lang'] = nil
  return {pandoc.RawBlock('typst', '#block[\n' .. set), div, pandoc.RawBlock('typst', ']')}
end

-- A word or passage marked as another language (`*socialinė globa*{lang=lt}`): pandoc's Typst
-- writer drops a span's `lang`; Typst marks the text with it (/Lang in the PDF), and hyphenates and
-- quotes it as that language. DOCX and EPUB keep the span's `lang` themselves.
function Span(span)
  local tag = span.attributes['lang']
  if not FORMAT:match('typst') or not tag then return nil end
  local code, region = tag:match('^(%a+)%-?(%a*)$')
  if not code then return nil end
  local open = '#text(lang: ' .. typst_string(code:lower())
    .. ', region: ' .. (region ~= '' and typst_string(region:upper()) or 'none') .. ')['
  local inlines = pandoc.List({pandoc.RawInline('typst', open)})
  inlines:extend(span.content)
  inlines:insert(pandoc.RawInline('typst', ']'))
  return inlines
end

function Div(div)
  div = flatten_chapter_headings(div)
  if FORMAT:match('typst') and div.attributes['lang'] then return in_own_language(div) end
  if not div.classes:includes('admonition') then return div end
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
-- A form on its own (editions/forms.py) is one annex: its letter is its place among the edition's.
local annex_offset = 0

-- Annex titles are unnumbered (they carry their letter), so they do not step Typst's heading
-- counter: step it by hand, so that their sections are numbered A.1, B.1, ...
function Header(header)
  if header.level ~= 1 or not header.classes:includes('annex') or not FORMAT:match('typst') then
    return nil
  end
  local code = '#counter(heading).step()'
  if not annexes_started then
    annexes_started = true
    code = '#counter(heading).update(' .. annex_offset .. ')\n#set heading(numbering: annex-numbering)\n' .. code
  end
  return {pandoc.RawBlock('typst', code), header}
end

-- An HTML size (`width="300"`: CSS pixels, or a percentage) as a Typst length.
local function typst_length(value)
  if not value then return nil end
  local number, unit = value:match('^%s*(%d+%.?%d*)%s*(%a*%%?)%s*$')
  if not number then return nil end
  if unit == '%' then return number .. '%' end
  if unit == '' or unit == 'px' then return tostring(tonumber(number) * 0.75) .. 'pt' end
  return nil
end

function Image(image)
  if FORMAT:match('typst') then
    local alt = pandoc.utils.stringify(image.caption)
    local width = typst_length(image.attributes.width)
    local height = typst_length(image.attributes.height)
    width = width and (', width: ' .. width) or (height and '' or ', width: 100%')
    if height then width = width .. ', height: ' .. height end
    return pandoc.RawInline('typst', '#image(' .. typst_string(image.src) .. width
      .. ', alt: ' .. typst_string(alt) .. ')')
  end
  return nil
end

-- pandoc's Typst writer escapes "=" (a heading), "/" (a term) and list markers at the start of a
-- paragraph, but not at the start of a list item or a table cell, where Typst then reads "= x" as
-- a heading (and refuses the page break a chapter heading makes there).
-- What Typst reads as markup at the start of content: a heading, a term, a list item.
local MARKUP_START = '^[=/+-]'

-- Escape such a start; says whether it did.
local function escape_start(block, pattern)
  local first = block.content[1]
  if first and first.t == 'Str' and first.text:match(pattern) then
    block.content:insert(1, pandoc.RawInline('typst', '\\'))
    return true
  end
  return false
end

function Plain(block)
  if FORMAT:match('typst') and escape_start(block, MARKUP_START) then return block end
  return nil
end

-- Nor at the start of a footnote, which it writes as `#footnote[...]`: "/ x" there is a term.
function Note(note)
  if not FORMAT:match('typst') then return nil end
  note = flatten_chapter_headings(note)  -- a footnote cannot start a page either
  local first = note.content[1]
  if first and (first.t == 'Para' or first.t == 'Plain') then escape_start(first, MARKUP_START) end
  return note
end

local function escape_item_starts(list)
  if not FORMAT:match('typst') then return list end
  for _, item in ipairs(list.content) do
    if item[1] and item[1].t == 'Para' then escape_start(item[1], '^[=/]') end
  end
  return list
end

-- pandoc writes emphasis, links, footnotes and the like as Typst calls (`#emph[x]`); a following
-- ".word" would then read as a field access (`#emph[x].word`) and stop the PDF. A ";" ends the call.
local CALLS = {
  Emph = true, Strong = true, Strikeout = true, Underline = true, SmallCaps = true,
  Superscript = true, Subscript = true, Link = true, Note = true, Cite = true,
}

local function is_call(inline)
  return CALLS[inline.t]
    or (inline.t == 'RawInline' and inline.format == 'typst' and inline.text:match('^#'))
    or (inline.t == 'Code' and inline.text:find('`', 1, true))  -- written as #raw("...")
end

function Inlines(inlines)
  if not FORMAT:match('typst') then return nil end
  local changed = false
  for _, inline in ipairs(inlines) do
    -- The content of a call is markup of its own: "/ x", "= x", "- x" at its start would be a
    -- term, a heading or a list item (`#link(...)[/ 0]`).
    if CALLS[inline.t] and inline.t ~= 'Note' and inline.content and escape_start(inline, MARKUP_START) then
      changed = true
    end
  end
  for i = #inlines - 1, 1, -1 do
    local next = inlines[i + 1]
    if next.t == 'Str' and next.text:match('^%.[%w_\128-\255]') and is_call(inlines[i]) then
      inlines:insert(i + 1, pandoc.RawInline('typst', ';'))
      changed = true
    end
  end
  -- Returning an unchanged list would still make pandoc rebuild it: on a 200-page edition, seconds.
  if changed then return inlines end
  return nil
end

function BulletList(list) return escape_item_starts(flatten_chapter_headings(list)) end
function OrderedList(list) return escape_item_starts(flatten_chapter_headings(list)) end
BlockQuote = flatten_chapter_headings

-- The footnotes, first: each `span.footnote-ref` (data-note: the definition's id) becomes a note
-- holding its `div.footnote-definition`; the definitions' lists at the chapters' ends go.
local function join_footnotes(doc)
  local definitions = {}
  doc = doc:walk({
    Div = function(div)
      if div.classes:includes('footnote-definition') then
        definitions[div.identifier] = div.content
        return {}
      end
      if div.classes:includes('footnote-definitions') then
        local kept = pandoc.List()
        for _, block in ipairs(div.content) do
          if not (block.t == 'Div' and block.classes:includes('footnote-definition')) then kept:insert(block) end
        end
        return kept
      end
    end,
  })
  return doc:walk({
    Span = function(span)
      if span.classes:includes('footnote-ref') then
        local blocks = definitions[span.attributes['note']]
        if blocks then return pandoc.Note(blocks) end
        return {}
      end
    end,
  })
end

local main = {
  Div = Div, Span = Span, Header = Header, Image = Image, Plain = Plain, Note = Note, Inlines = Inlines,
  BulletList = BulletList, OrderedList = OrderedList, BlockQuote = BlockQuote,
}
local function read_meta(meta)
  if meta['annex-offset'] then annex_offset = tonumber(pandoc.utils.stringify(meta['annex-offset'])) or 0 end
end

return {{Meta = read_meta}, {Pandoc = join_footnotes}, main}
