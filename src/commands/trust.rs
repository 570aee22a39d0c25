//! `git codey trust`: the user's decision that this repository's codey.toml may take
//! full effect, kept for the file's content in the user's configuration directory.

use serde_json::json;

use crate::cli::TrustArgs;
use crate::config::trust::TrustStore;
use crate::config::{Layered, Sources};
use crate::error::CommandError;
use crate::ui;

pub fn run(args: &TrustArgs) -> Result<(), CommandError> {
    let workspace = super::current_workspace()?;
    let sources = Sources::standard(Some(&workspace.root));
    let file = sources
        .repo_file
        .clone()
        .expect("a repository's sources name its codey.toml");
    let Some(store_path) = sources.trust_file.clone() else {
        return Err(CommandError::usage(anyhow::anyhow!(
            "there is no configuration directory to keep the decision in"
        ))
        .with_hint("set HOME or XDG_CONFIG_HOME"));
    };
    let store =
        TrustStore::load(&store_path).map_err(|e| CommandError::from(anyhow::anyhow!(e)))?;
    let (store, keys) = if args.revoke {
        let keys = Vec::new();
        (store.revoke(&file), keys)
    } else {
        let bytes = std::fs::read(&file).map_err(|e| {
            CommandError::from(anyhow::anyhow!(
                "could not read {}: {e}",
                workspace.display(&file)
            ))
            .with_hint("there is nothing to trust in a repository without a codey.toml")
        })?;
        // What trusting changes: the settings ignored until now (an invalid file is an
        // error here, before anything is trusted).
        let layered = Layered::load(&sources, &|name| std::env::var(name).ok())?;
        let keys: Vec<String> = layered.untrusted.iter().map(|s| s.key.clone()).collect();
        (store.trust(&file, &bytes), keys)
    };
    if let Some(dir) = store_path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            CommandError::from(anyhow::anyhow!("could not create {}: {e}", dir.display()))
        })?;
    }
    crate::edit::apply::write_atomic(&store_path, store.to_toml().as_bytes()).map_err(|e| {
        CommandError::from(anyhow::anyhow!(
            "could not write {}: {e}",
            store_path.display()
        ))
    })?;
    let shown = workspace.display(&file).into_owned();
    if args.json {
        return ui::with_stdout(|out| {
            serde_json::to_writer(
                &mut *out,
                &json!({"file": shown, "trusted": !args.revoke, "enabled": keys}),
            )?;
            writeln!(out)
        });
    }
    let message = if args.revoke {
        format!(
            "{shown} is no longer trusted: its settings that lower safety or send data elsewhere are ignored"
        )
    } else if keys.is_empty() {
        format!("trusted {shown} as it is now")
    } else {
        format!(
            "trusted {shown} as it is now: {} now take effect",
            keys.join(", ")
        )
    };
    ui::note(&message);
    Ok(())
}
