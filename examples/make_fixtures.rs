//! Writes the generated fixtures: `cargo run --example make_fixtures [ROOT]`
//! (ROOT, the crate root, defaults to `.`): `fixtures/flow|table|excel/` and
//! `tests/data/hostile/`.

#[path = "../tests/fixturegen/mod.rs"]
mod fixturegen;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".to_string());
    match fixturegen::write_all(std::path::Path::new(&dir)) {
        Ok(files) => {
            for f in files {
                println!("{dir}/{f}");
            }
        }
        Err(e) => {
            eprintln!("cannot write fixtures into {dir}: {e}");
            std::process::exit(1);
        }
    }
}
