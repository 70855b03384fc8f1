-- pandoc filter for the PDF edition only (Typst), run after guidelines.lua: the layout decisions
-- that need the document's structure. Written against pandoc's AST (Table, Figure, BulletList,
-- Str), so it does not depend on which reader produced it. Typesetting rules that need no structure
-- (breakable tables, sticky headings, quotation marks, caption order) live in guidelines.typ.

if not FORMAT:match('typst') then return {} end

-- A form published on its own (metadata `form`, editions/forms.py) is for writing in by hand.
local form = false

-- Tables ------------------------------------------------------------------------------------------

-- The width of the text area in characters of table text (9.5 pt Libertinus Serif on 16.2 cm),
-- and what a cell's padding costs in the same unit.
local LINE = 108
local CELL_PADDING = 2.5
-- Past this many columns, or when the longest words do not fit side by side, the table is set
-- smaller (templates/guidelines.typ: `wide-table`).
local WIDE_COLUMNS = 8
local WIDE_SCALE = 9.5 / 8

local function rows_of(tbl)
  local rows = pandoc.List()
  rows:extend(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    rows:extend(body.head)
    rows:extend(body.body)
  end
  rows:extend(tbl.foot.rows)
  return rows
end

local function body_rows(tbl)
  local rows = pandoc.List()
  for _, body in ipairs(tbl.bodies) do rows:extend(body.body) end
  return rows
end

-- Words longer than this are hyphenated rather than given a column of their own width.
local UNBROKEN_WORD = 12

local function longest_word(text)
  local longest = 0
  for word in text:gmatch('%S+') do longest = math.max(longest, utf8.len(word) or #word) end
  return math.min(longest, UNBROKEN_WORD)
end

local function cell_text(cell)
  return (pandoc.utils.stringify(cell.contents):gsub('\u{AD}', ''))  -- soft hyphens take no room
end

-- A number, an amount, a percentage, a year or a range of them: set flush right.
local function is_number(text)
  return text:match('^[%d%s.,%%+()€$–-]+$') ~= nil and text:match('%d') ~= nil
end

-- Column widths the way a browser lays out an automatic table: every column gets at least its
-- longest word; what is left goes to the columns in proportion to how much more their longest
-- cell wants.
-- In a form, a column left empty for writing in is given room for a hand's letters, which are wider
-- than type: at least this many characters of table text, and as much as this if the line allows.
local FILL_IN_LEAST = 14
local FILL_IN_MOST = 40

-- `loose`: the columns to fill in cannot all have their least (a year's months side by side): each
-- then gets at least its heading's longest word, and a share of the rest.
local function column_widths(tbl, columns, line, fill_in, loose)
  local least, most = {}, {}
  for i = 1, columns do least[i], most[i] = 1, 1 end
  for i in pairs(fill_in or {}) do least[i], most[i] = loose and 1 or FILL_IN_LEAST, FILL_IN_MOST end
  for _, row in ipairs(rows_of(tbl)) do
    local column = 1
    for _, cell in ipairs(row.cells) do
      local text = cell_text(cell)
      local span = cell.col_span or 1
      if span == 1 and column <= columns then
        least[column] = math.max(least[column], longest_word(text) + 1)
        most[column] = math.max(most[column], (utf8.len(text) or #text) + 1)
      end
      column = column + span
    end
  end
  local available = line - CELL_PADDING * columns
  local sum_least, sum_most = 0, 0
  for i = 1, columns do
    most[i] = math.max(most[i], least[i])
    sum_least, sum_most = sum_least + least[i], sum_most + most[i]
  end
  local widths = {}
  for i = 1, columns do
    if sum_most <= available then
      widths[i] = most[i]
    elseif sum_least < available and sum_most > sum_least then
      widths[i] = least[i] + (available - sum_least) * (most[i] - least[i]) / (sum_most - sum_least)
    else
      widths[i] = least[i]
    end
    widths[i] = widths[i] + CELL_PADDING
  end
  local total = 0
  for i = 1, columns do total = total + widths[i] end
  for i = 1, columns do widths[i] = widths[i] / total end
  return widths, sum_least > available
end

local function numeric_columns(tbl, columns)
  local numeric = {}
  for i = 1, columns do numeric[i] = {seen = false, all = true} end
  for _, row in ipairs(body_rows(tbl)) do
    local column = 1
    for _, cell in ipairs(row.cells) do
      local text = pandoc.utils.stringify(cell.contents)
      if column <= columns and text ~= '' then
        numeric[column].seen = true
        numeric[column].all = numeric[column].all and is_number(text)
      end
      column = column + (cell.col_span or 1)
    end
  end
  return numeric
end

local function is_empty_cell(cell)
  if pandoc.utils.stringify(cell.contents) ~= '' then return false end
  local has_image = false
  cell.contents:walk({Image = function() has_image = true end, RawInline = function() has_image = true end})
  return not has_image
end

-- A row left empty (but perhaps for its number) is for writing in by hand: at least 8 mm high
-- (6 mm plus the cell's padding).
local function open_fill_in_rows(tbl)
  for _, row in ipairs(body_rows(tbl)) do
    local cells = row.cells
    local blank = 0
    for _, cell in ipairs(cells) do
      if is_empty_cell(cell) then blank = blank + 1 end
    end
    local numbered = #cells > 1 and not is_empty_cell(cells[1])
      and is_number(pandoc.utils.stringify(cells[1].contents))
    if #cells > 0 and (blank == #cells or (numbered and blank == #cells - 1)) then
      local open = numbered and cells[2] or cells[1]
      open.contents = {pandoc.Plain({pandoc.RawInline('typst', '#box(height: 6mm)')})}
    end
  end
end

-- The columns whose every body cell is empty: there to be filled in.
local function fill_in_columns(tbl, columns)
  local written = {}
  for _, row in ipairs(body_rows(tbl)) do
    local column = 1
    for _, cell in ipairs(row.cells) do
      if not is_empty_cell(cell) then
        for i = column, column + (cell.col_span or 1) - 1 do written[i] = true end
      end
      column = column + (cell.col_span or 1)
    end
  end
  local empty = {}
  for i = 1, columns do
    if not written[i] then empty[i] = true end
  end
  return empty
end

-- In a form, every empty cell is for writing in: its row at least 8 mm high, as open rows are.
local function open_fill_in_cells(tbl)
  for _, row in ipairs(body_rows(tbl)) do
    for _, cell in ipairs(row.cells) do
      if is_empty_cell(cell) then
        cell.contents = {pandoc.Plain({pandoc.RawInline('typst', '#box(height: 6mm)')})}
      end
    end
  end
end

local function layout_table(tbl)
  local columns = #tbl.colspecs
  if columns == 0 then return nil end
  local wide = columns >= WIDE_COLUMNS
  local fill_in = form and fill_in_columns(tbl, columns) or nil
  local widths, crowded = column_widths(tbl, columns, LINE, fill_in)
  if crowded and not wide then
    wide = true
  end
  local line = wide and LINE * WIDE_SCALE or LINE
  if wide then widths, crowded = column_widths(tbl, columns, line, fill_in) end
  if crowded and fill_in then widths = column_widths(tbl, columns, line, fill_in, true) end
  local numeric = numeric_columns(tbl, columns)
  for i, spec in ipairs(tbl.colspecs) do
    local align = spec[1]
    if align == 'AlignDefault' or align == pandoc.AlignDefault then
      align = (numeric[i].seen and numeric[i].all) and pandoc.AlignRight or pandoc.AlignLeft
    end
    tbl.colspecs[i] = {align, widths[i]}
  end
  if form then open_fill_in_cells(tbl) else open_fill_in_rows(tbl) end
  if wide then
    return {pandoc.RawBlock('typst', '#wide-table['), tbl, pandoc.RawBlock('typst', ']')}
  end
  return tbl
end

-- Figures -----------------------------------------------------------------------------------------

-- A caption that only repeats a long alt text is cut to its first clause: the alt text stays on the
-- image, whole, for screen readers.
local SHORT_CAPTION_WORDS = 14

local function first_clause(text)
  local sentence = text:match('^(.-[.!?])%s') or text
  local words = 0
  for _ in sentence:gmatch('%S+') do words = words + 1 end
  if words <= SHORT_CAPTION_WORDS then return (sentence:gsub('[.]$', '')) end
  local clause = sentence:match('^(.-),%s') or sentence
  -- "… per service type –, listing …": the dash that opened the aside goes with the comma.
  return (clause:gsub('[.]$', ''):gsub('%s*[–—-]+$', ''))
end

local function short_caption(figure)
  local caption = pandoc.utils.stringify(figure.caption.long)
  local words = 0
  for _ in caption:gmatch('%S+') do words = words + 1 end
  if words <= SHORT_CAPTION_WORDS then return nil end
  figure.caption.long = {pandoc.Plain({pandoc.Str(first_clause(caption))})}
  return figure
end

-- Checklists --------------------------------------------------------------------------------------

local BALLOT = '☐'

local function item_starts_with_ballot(item)
  local first = item[1]
  local inline = first and first.content and first.content[1]
  return inline and inline.t == 'Str' and inline.text:sub(1, #BALLOT) == BALLOT
end

-- A list whose every item starts with ☐ is a checklist: the box becomes the item's marker, instead
-- of a bullet and a box.
local function checklist(list)
  if #list.content == 0 then return nil end
  for _, item in ipairs(list.content) do
    if not item_starts_with_ballot(item) then return nil end
  end
  for _, item in ipairs(list.content) do
    local inlines = item[1].content
    local rest = inlines[1].text:sub(#BALLOT + 1)
    if rest == '' then
      inlines:remove(1)
      if inlines[1] and inlines[1].t == 'Space' then inlines:remove(1) end
    else
      inlines[1] = pandoc.Str(rest)
    end
  end
  return {pandoc.RawBlock('typst', '#checklist['), list, pandoc.RawBlock('typst', ']')}
end

-- Sections ----------------------------------------------------------------------------------------

-- Before the first of a run of section headings, a check that there is room for them and a few
-- lines of what follows (templates/guidelines.typ: section-start). Chapters start a page anyway.
local function section_starts(blocks)
  local result = pandoc.List()
  local i = 1
  while i <= #blocks do
    local block = blocks[i]
    if block.t == 'Header' and block.level > 1 then
      local run = 0
      while blocks[i + run] and blocks[i + run].t == 'Header' and blocks[i + run].level > 1 do
        run = run + 1
      end
      result:insert(pandoc.RawBlock('typst', '#section-start(' .. run .. ')'))
      for j = i, i + run - 1 do result:insert(blocks[j]) end
      i = i + run
    else
      result:insert(block)
      i = i + 1
    end
  end
  return result
end

-- Quotation marks ---------------------------------------------------------------------------------

-- pandoc escapes straight quotes (`\"`), so Typst prints them straight. Given back to Typst as
-- markup, they become the language's quotation marks (templates/guidelines.typ: smartquote).
local function typst_quotes(str)
  -- "1." or "2021." where a line or a content block starts (a table cell, a link's text, a line
  -- that pandoc wrapped there) is a numbered list item to Typst: the point is escaped.
  if str.text:match('^%d+%.$') then
    return pandoc.RawInline('typst', str.text:sub(1, -2) .. '\\.')
  end
  if not str.text:find('["\']') then return nil end
  local parts = pandoc.List()
  for piece, quote in str.text:gmatch('([^"\']*)(["\']?)') do
    if piece ~= '' then parts:insert(pandoc.Str(piece)) end
    if quote ~= '' then parts:insert(pandoc.RawInline('typst', quote)) end
  end
  return parts
end

-- A box title was already written as Typst by guidelines.lua, with its quotes escaped.
local function box_title_quotes(raw)
  if raw.format == 'typst' and raw.text:match('^#admonition%(') then
    raw.text = raw.text:gsub('\\(["\'])', '%1')
    return raw
  end
  return nil
end

-- Quotes and numbers last: the passes before read captions and cells as plain text.
return {
  {Meta = function(meta) form = meta.form == true end},
  {Table = layout_table, Figure = short_caption, BulletList = checklist},
  {Blocks = section_starts},
  {Str = typst_quotes, RawBlock = box_title_quotes},
}
