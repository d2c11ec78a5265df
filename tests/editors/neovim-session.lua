-- Headless Neovim, configured only by editors/neovim, opens a draft, waits for redline's
-- diagnostics, hovers the first, lists its code actions, applies the fix, and writes what it
-- saw as JSON for tests/neovim.rs.

local function env(name)
  local v = os.getenv(name)
  assert(v and v ~= '', name .. ' is not set')
  return v
end

local result = { diagnostics = {}, after_fix = {} }

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, env('REDLINE_NVIM_OUT'))
  vim.cmd('qa!')
end

local function collect(buf)
  local seen = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(seen, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      code = d.code or lsp.code,
      source = d.source,
      severity = d.severity,
      message = d.message,
    })
  end
  table.sort(seen, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  return seen
end

local ok, err = pcall(function()
  require('redline').setup({ cmd = { env('REDLINE_BIN'), 'lsp' } })
  vim.cmd('edit ' .. vim.fn.fnameescape(env('REDLINE_NVIM_DRAFT')))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype
  result.got_diagnostics = vim.wait(15000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 20)
  result.diagnostics = collect(buf)
  local first = result.diagnostics[1]
  if not first then
    return
  end

  local line = vim.api.nvim_buf_get_lines(buf, first.lnum, first.lnum + 1, false)[1]
  local _, character = vim.str_utfindex(line, first.col)
  local position = { line = first.lnum, character = character }
  local uri = vim.uri_from_bufnr(buf)
  local hovers = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
    { textDocument = { uri = uri }, position = position }, 5000) or {}
  for _, r in pairs(hovers) do
    if r.result then
      result.hover = r.result.contents.value
    end
  end

  local answers = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = { start = position, ['end'] = position },
    context = { diagnostics = {} },
  }, 5000) or {}
  result.actions = {}
  local fix
  for _, r in pairs(answers) do
    for _, action in ipairs(r.result or {}) do
      table.insert(result.actions, action.title)
      if action.isPreferred then
        fix = action
      end
    end
  end
  if fix then
    vim.lsp.util.apply_workspace_edit(fix.edit, 'utf-16')
    result.fixed_line = vim.api.nvim_buf_get_lines(buf, first.lnum, first.lnum + 1, false)[1]
    vim.wait(15000, function()
      for _, d in ipairs(collect(buf)) do
        if d.code == first.code then
          return false
        end
      end
      return true
    end, 20)
    result.after_fix = collect(buf)
  end
end)
if not ok then
  result.error = tostring(err)
end
finish()
