//! The HTML reports in a real browser (headless Chromium): no console
//! errors, every chart SVG present and rendered with a non-zero size, and a
//! screenshot at desktop width in `$CARGO_TARGET_TMPDIR/report-screenshots/`.
//! Chromium missing is a failure (install it with `scripts/test-env.sh`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use drplan::report::{Format, render_all};

fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(out) = Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {name}"))
            .output()
            && out.status.success()
        {
            return PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        }
    }
    panic!("Chromium is not installed: run scripts/test-env.sh (apt-get install -y chromium)");
}

/// Run headless Chromium with a fresh profile; return (stdout, stderr).
fn run(extra: &[String], url: &str) -> (String, String) {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut cmd = Command::new(chromium());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .arg(url);
    let out = cmd.output().expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Injected only into a probe copy: records errors and measures charts.
const PROBE: &str = r#"<script>
window.__errors = [];
window.addEventListener('error', e => window.__errors.push(String(e.message)));
const ce = console.error; console.error = (...a) => { window.__errors.push(a.join(' ')); ce(...a); };
window.addEventListener('load', () => {
  const charts = [...document.querySelectorAll('figure.chart svg')].map(s => {
    const r = s.getBoundingClientRect();
    return { id: s.id, w: Math.round(r.width), h: Math.round(r.height), n: s.querySelectorAll('*').length,
             title: (s.querySelector('title') || {}).textContent || '' };
  });
  const pre = document.createElement('pre'); pre.id = 'probe';
  pre.textContent = JSON.stringify({ errors: window.__errors, charts, figures: document.querySelectorAll('figure.chart').length });
  document.body.appendChild(pre);
});
</script>"#;

fn probe(dir: &Path, file: &str) -> serde_json::Value {
    let html = std::fs::read_to_string(dir.join(file)).expect("report written");
    let probed = html.replacen("<head>", &format!("<head>{PROBE}"), 1);
    let path = dir.join(format!("probe-{file}"));
    std::fs::write(&path, probed).expect("probe written");
    let (dom, stderr) = run(
        &["--dump-dom".into(), "--virtual-time-budget=3000".into()],
        &format!("file://{}", path.display()),
    );
    let console: Vec<&str> = stderr.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "{file}: console messages: {console:?}");
    let start = dom.find("<pre id=\"probe\">").expect("probe ran") + "<pre id=\"probe\">".len();
    let end = dom[start..].find("</pre>").expect("probe closed") + start;
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    serde_json::from_str(&json).expect("probe JSON")
}

fn write(dir: &Path, contexts: &[drplan::report::context::ReportContext]) -> Vec<String> {
    let out = render_all(contexts, &[Format::Html]).expect("renders");
    out.iter()
        .map(|o| {
            std::fs::write(dir.join(&o.file_name), &o.bytes).expect("write");
            o.file_name.clone()
        })
        .collect()
}

#[test]
fn reports_render_in_chromium_with_every_chart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let full_dir = dir.path().join("full");
    std::fs::create_dir_all(&full_dir).expect("mkdir");
    let bundled = write(dir.path(), &common::bundled());
    let full: Vec<_> = common::bundled().into_iter().map(common::full).collect();
    let filled = write(&full_dir, &full);
    let spof_dir = dir.path().join("spof");
    std::fs::create_dir_all(&spof_dir).expect("mkdir");
    let with_spof = write(&spof_dir, &common::bundled_with_analyses());
    let mut checked = 0;
    for (d, files) in [
        (dir.path().to_path_buf(), &bundled),
        (full_dir.clone(), &filled),
        (spof_dir.clone(), &with_spof),
    ] {
        for f in files {
            let p = probe(&d, f);
            assert_eq!(p["errors"].as_array().map(Vec::len), Some(0), "{f}: {p}");
            let charts = p["charts"].as_array().expect("charts");
            assert_eq!(
                Some(charts.len() as u64),
                p["figures"].as_u64(),
                "{f}: a figure without its SVG"
            );
            assert!(!charts.is_empty(), "{f}: no chart");
            for c in charts {
                assert!(c["w"].as_u64() > Some(200), "{f}: {c}");
                assert!(c["h"].as_u64() > Some(100), "{f}: {c}");
                assert!(c["n"].as_u64() > Some(10), "{f}: chart has no content: {c}");
                assert!(
                    !c["title"].as_str().unwrap_or("").is_empty(),
                    "{f}: untitled chart {c}"
                );
                checked += 1;
            }
        }
    }
    // Bundled: topology per scenario (its bill is the cost analysis', which
    // these contexts did not run), one cost chart in the comparison;
    // filled: + cost, RTO, RPO, disk, tornado per scenario, + Pareto in the comparison.
    // With the analyses on main: + one disk chart per tier (geo 3, metro 2, same-dc 1).
    assert_eq!(checked, (3 + 1) + (3 * 6 + 2) + (3 + 6 + 1));

    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot dir");
    for (d, f, name) in [
        (spof_dir.as_path(), "metro.html", "metro.png"),
        (&full_dir, "metro.html", "metro-full.png"),
        (dir.path(), "comparison.html", "comparison.png"),
    ] {
        let png = shots.join(name);
        let _ = std::fs::remove_file(&png);
        run(
            &[
                "--window-size=1366,3000".into(),
                "--hide-scrollbars".into(),
                format!("--screenshot={}", png.display()),
            ],
            &format!("file://{}", d.join(f).display()),
        );
        let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
        assert!(
            size > 20_000,
            "{}: screenshot missing or blank ({size} bytes)",
            png.display()
        );
        eprintln!("screenshot: {}", png.display());
    }
}
