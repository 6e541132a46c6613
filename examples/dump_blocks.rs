//! Print the Document blocks a file reads into: `cargo run --example dump_blocks FILE`.
//! For looking at what a reader produced when a chart comes out wrong.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_blocks FILE");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let (format, doc) = riskflow::read::read(&bytes, &riskflow::read::Limits::default());
    println!("format: {}", format.as_str());
    match doc {
        Err(e) => println!("error: {e}"),
        Ok(doc) => {
            println!("encoding: {:?}, issues: {:?}", doc.encoding, doc.issues);
            for b in &doc.blocks {
                let rect = b
                    .rect
                    .map(|r| format!("x={} y={} w={} h={}", r.x, r.y, r.w, r.h))
                    .unwrap_or_else(|| "-".into());
                println!(
                    "p{} {:?} [{}] {}: {}",
                    b.page,
                    b.kind,
                    rect,
                    b.origin,
                    b.text.replace('\n', " ⏎ ")
                );
            }
        }
    }
}
