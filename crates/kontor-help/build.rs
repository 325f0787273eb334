//! Compiles the help articles into the binary: one `include_str!` per
//! Markdown file under `articles/<lang>/`, so adding an article is adding a
//! file.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut out = String::from(
        "/// (language, slug, text) of every article file.\npub(crate) static FILES: &[(&str, &str, &str)] = &[\n",
    );
    for lang in ["de", "en"] {
        let dir = root.join(lang);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("readable directory entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect();
        files.sort();
        for path in files {
            let slug = path
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("UTF-8 file name");
            writeln!(
                out,
                "    ({lang:?}, {slug:?}, include_str!({:?})),",
                path.display().to_string()
            )
            .expect("write to a String");
        }
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("articles.rs");
    std::fs::write(dest, out).expect("write generated article list");
}
