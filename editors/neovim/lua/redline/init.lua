-- redline for Neovim: the corporate-AI voice flagged in mail, text and Markdown buffers.
--
--   require('redline').setup()                       -- `redline` on PATH
--   require('redline').setup({ cmd = { '/path/to/redline', 'lsp' },
--                              settings = { fail_on = 'warning' } })
--
-- Works with Neovim 0.7 and later: it uses vim.lsp.start where it exists (0.8+) and
-- vim.lsp.start_client with buf_attach_client before that.

local M = {}

--- Filetypes redline checks by default.
M.filetypes = { 'text', 'markdown', 'mail' }

--- The folder whose drafts share a client: the nearest one holding .redline.toml or .git,
--- else the buffer's own folder.
local function root_of(bufnr)
  local file = vim.api.nvim_buf_get_name(bufnr)
  local dir = file ~= '' and vim.fn.fnamemodify(file, ':p:h') or vim.fn.getcwd()
  local config = vim.fn.findfile('.redline.toml', dir .. ';')
  if config ~= '' then
    return vim.fn.fnamemodify(config, ':p:h')
  end
  local git = vim.fn.finddir('.git', dir .. ';')
  if git ~= '' then
    return vim.fn.fnamemodify(git, ':p:h:h')
  end
  return dir
end

--- The client configuration for a buffer.
function M.config(opts, bufnr)
  local settings = { redline = opts.settings or {} }
  return {
    name = 'redline',
    cmd = opts.cmd or { 'redline', 'lsp' },
    root_dir = root_of(bufnr),
    init_options = settings,
    settings = settings,
  }
end

local clients = {}

--- Starts (or reuses) the client for the buffer's root and attaches it.
function M.attach(opts, bufnr)
  local config = M.config(opts, bufnr)
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients[config.root_dir]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    clients[config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Checks buffers of `opts.filetypes` (default M.filetypes) as they open.
function M.setup(opts)
  opts = opts or {}
  vim.api.nvim_create_autocmd('FileType', {
    group = vim.api.nvim_create_augroup('redline', { clear = true }),
    pattern = opts.filetypes or M.filetypes,
    callback = function(args)
      if vim.bo[args.buf].buftype == '' then
        M.attach(opts, args.buf)
      end
    end,
  })
end

return M
