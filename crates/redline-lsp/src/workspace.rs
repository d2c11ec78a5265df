//! The workspace folders and the paths inside them. The server edits files only inside a
//! workspace folder, so a document URI is turned into a path strictly: a `file` URI naming no
//! other host, percent-decoded once, with `.` and `..` resolved by hand before anything is
//! compared, and a symlink that leads out of the folder caught by comparing real paths too.

use std::path::{Component, Path, PathBuf};

use redline_rules::CONFIG_FILE_NAME;
use tower_lsp_server::ls_types::{InitializeParams, Uri};

/// The workspace folders, or the root the client names when it has no folders.
pub(crate) fn roots_of(params: &InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
    let folders = params.workspace_folders.iter().flatten().map(|f| &f.uri);
    #[allow(deprecated)]
    for uri in folders.chain(params.root_uri.iter()) {
        if let Some(path) = local_path(uri)
            && !roots.contains(&path)
        {
            roots.push(path);
        }
    }
    roots
}

/// The absolute local path a URI names, with `.` and `..` resolved; `None` for another scheme,
/// another host, a relative path, or `..` above the root.
pub(crate) fn local_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    if let Some(authority) = uri.authority() {
        let host = authority.host();
        if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
            return None;
        }
    }
    if uri.path().decode().to_string_lossy().contains('\0') {
        return None;
    }
    let raw = uri.to_file_path()?;
    if !raw.is_absolute() {
        return None;
    }
    let mut path = PathBuf::new();
    for component in raw.components() {
        match component {
            Component::Prefix(_) | Component::RootDir | Component::Normal(_) => {
                path.push(component)
            }
            Component::CurDir => {}
            Component::ParentDir => {
                if !path.pop() || !path.has_root() {
                    return None;
                }
            }
        }
    }
    Some(path)
}

/// The workspace folder `path` is in (the innermost, when folders nest), compared both as
/// written and as real paths, so a symlink inside a folder that leads out of it does not count.
pub(crate) fn root_of<'a>(roots: &'a [PathBuf], path: &Path) -> Option<&'a Path> {
    let root = roots
        .iter()
        .filter(|r| path.starts_with(r))
        .max_by_key(|r| r.components().count())?;
    let real_root = root.canonicalize().ok()?;
    let real_path = path.ancestors().find_map(|p| p.canonicalize().ok())?;
    real_path.starts_with(&real_root).then_some(root)
}

/// The config file an allow-list edit for the draft at `draft` goes to: the nearest
/// `.redline.toml` between the draft and its workspace folder, else a new one at the folder's
/// root. `None` when the draft is outside every workspace folder.
pub(crate) fn allow_config_for(roots: &[PathBuf], draft: &Path) -> Option<PathBuf> {
    let root = root_of(roots, draft)?;
    let dir = draft.parent()?;
    let nearest = dir
        .ancestors()
        .take_while(|d| d.starts_with(root))
        .map(|d| d.join(CONFIG_FILE_NAME))
        .find(|p| p.is_file());
    let config = nearest.unwrap_or_else(|| root.join(CONFIG_FILE_NAME));
    root_of(roots, &config).map(|_| config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_of(uri: &str) -> Option<PathBuf> {
        local_path(&uri.parse::<Uri>().unwrap())
    }

    #[test]
    fn uris_become_normalised_local_paths_or_nothing() {
        assert_eq!(path_of("file:///ws/a/b.txt"), Some("/ws/a/b.txt".into()));
        assert_eq!(
            path_of("file://localhost/ws/b.txt"),
            Some("/ws/b.txt".into())
        );
        assert_eq!(path_of("file:///ws/a/../b.txt"), Some("/ws/b.txt".into()));
        assert_eq!(
            path_of("file:///ws/a/..%2f..%2fetc/x"),
            Some("/etc/x".into())
        );
        assert_eq!(path_of("file:///ws/a/%2e%2e/x"), Some("/ws/x".into()));
        assert_eq!(path_of("file:///ws/%2e%2e/%2e%2e/x"), None);
        assert_eq!(path_of("file:///../../etc/x"), None);
        assert_eq!(path_of("file://evil.example/ws/b.txt"), None);
        assert_eq!(path_of("http:///ws/b.txt"), None);
        assert_eq!(path_of("file:///ws/%00x"), None);
    }

    #[test]
    fn allow_edits_stay_in_the_workspace_and_prefer_the_nearest_config() {
        let tmp = std::env::temp_dir().join(format!("redline-lsp-ws-{}", std::process::id()));
        let ws = tmp.join("ws");
        std::fs::create_dir_all(ws.join("a/b")).unwrap();
        std::fs::write(tmp.join(CONFIG_FILE_NAME), "").unwrap();
        let roots = vec![ws.clone()];
        assert_eq!(
            allow_config_for(&roots, &ws.join("a/b/d.txt")),
            Some(ws.join(CONFIG_FILE_NAME)),
            "the config above the workspace is not edited"
        );
        std::fs::write(ws.join("a").join(CONFIG_FILE_NAME), "").unwrap();
        assert_eq!(
            allow_config_for(&roots, &ws.join("a/b/d.txt")),
            Some(ws.join("a").join(CONFIG_FILE_NAME))
        );
        assert_eq!(allow_config_for(&roots, &tmp.join("d.txt")), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&tmp, ws.join("out")).unwrap();
            assert_eq!(
                allow_config_for(&roots, &ws.join("out/d.txt")),
                None,
                "a symlink out of the workspace"
            );
        }
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
