;;; redline.el --- redline's language server in Emacs through eglot  -*- lexical-binding: t; -*-

;; Load this file (or copy its forms into your init file).  Emacs 29 ships eglot; on
;; Emacs 28 install it from GNU ELPA first.  Findings show through Flymake; `eldoc' shows the
;; explanation at point and `eglot-code-actions' offers the fixes.

(require 'eglot)

(add-to-list 'eglot-server-programs
             '((text-mode markdown-mode message-mode mail-mode) . ("redline" "lsp")))

;; Settings the server reads: the keys of .redline.toml under the same names, plus
;; debounce_ms (see editors/README.md).
(setq-default eglot-workspace-configuration
              '(:redline (:fail_on "error" :disable [])))

(dolist (hook '(text-mode-hook markdown-mode-hook message-mode-hook))
  (add-hook hook #'eglot-ensure))

(provide 'redline)
;;; redline.el ends here
