// Converts every file of a folder to Markdown on N threads; prints the count
// and total Markdown bytes. For timing docling.rs against riskflow.
use docling::{DocumentConverter, SourceDocument};
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("folder");
    let threads: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(2);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("read folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let ok = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let conv = DocumentConverter::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(f) = files.get(i) else { break };
                    let Ok(src) = SourceDocument::from_file(f) else { continue };
                    if let Ok(r) = conv.convert(src) {
                        bytes.fetch_add(r.document.export_to_markdown().len(), Ordering::Relaxed);
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    println!("{} files, {} converted, {} markdown bytes", files.len(), ok.load(Ordering::Relaxed), bytes.load(Ordering::Relaxed));
}
