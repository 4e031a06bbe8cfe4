//! `cargo run --release --example screenshots`: the PNGs in `screenshots/`, drawn by the real
//! render code. Each screen is an `App` driven by real messages (real sends to the in-process
//! practice server where a response is shown), rendered to a `TestBackend` buffer, turned into
//! an SVG cell by cell, and rasterised by resvg with the bundled DejaVu fonts. Fake keys only.

use authlens::practice::{Config, PracticeServer, keys};
use authlens::tui::app::{App, EnvSnapshot, Server, Tab};
use authlens::tui::msg::{Effect, Msg};
use authlens::tui::update::{select, update};
use authlens::tui::{runtime, samples};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use resvg::{tiny_skia, usvg};
use std::fmt::Write;
use std::path::Path;
use std::time::Instant;
use tui_common::key;

#[path = "../tests/tui_common/mod.rs"]
mod tui_common;

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 17.0;
const FONT_SIZE: f32 = 14.0;
const BG: &str = "#1b1d23";
const FG: &str = "#d4d7dd";

/// The seed story kept in a `.http` file, as a team would commit it.
const HTTP_FILE: &str = "# The vote-extraction API: keys come from http-client.private.env.json.

### upload
POST {{host}}/api/v1/vote-extraction/extract
X-API-Key: {{API_KEY}}
Content-Type: multipart/form-data; boundary=EXAMPLE

--EXAMPLE
Content-Disposition: form-data; name=\"files\"; filename=\"page1.jpg\"
Content-Type: image/jpeg

< ./page1.jpg
--EXAMPLE--

### health
GET {{host}}/api/v1/health
";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    let server = PracticeServer::start(Config::practice_default()).await?;
    let page = std::env::temp_dir().join("authlens-screenshot-page1.jpg");
    std::fs::write(&page, b"\xFF\xD8\xFF\xE0EXAMPLE\xFF\xD9")?;
    let ready = Msg::ServerReady {
        base: server.url(""),
        other: String::new(),
        page: page.display().to_string(),
    };
    let mut app = App::new(
        samples::samples(),
        EnvSnapshot::default(),
        Server::Starting,
        Instant::now(),
    );
    update(&mut app, ready);

    save(&app, 160, 45, &out.join("start.png"))?;
    let mut strict = app.clone();
    send(&mut strict).await;
    update(&mut strict, key(KeyCode::Tab));
    save(&strict, 160, 45, &out.join("401-finding-underlined.png"))?;
    save(&strict, 200, 60, &out.join("401-200x60.png"))?;
    update(&mut strict, key(KeyCode::Tab));
    save(&strict, 80, 24, &out.join("401-strict-80x24.png"))?;

    let mut redirect = app.clone();
    let i = redirect
        .entries
        .iter()
        .position(|e| e.sample_id.as_deref() == Some("redirect-cross"))
        .ok_or("no redirect sample")?;
    select(&mut redirect, i);
    send(&mut redirect).await;
    save(
        &redirect,
        160,
        45,
        &out.join("redirect-dropped-authorization.png"),
    )?;

    save(
        &shadowed(),
        160,
        45,
        &out.join("variables-shadowed-dotenv.png"),
    )?;
    let mut compared = app.clone();
    compare(&mut compared).await;
    save(&compared, 160, 45, &out.join("compare-160x45.png"))?;
    save(&compared, 80, 24, &out.join("compare-80x24.png"))?;

    for (id, file) in [
        ("bearer-vs-x-api-key", "lesson-bearer-vs-x-api-key.png"),
        ("seed-notebook", "lesson-seed-notebook.png"),
    ] {
        let mut learning = app.clone();
        let lesson = authlens::lessons::all()
            .iter()
            .find(|l| l.id == id)
            .ok_or("no such lesson")?;
        authlens::tui::lesson::start(&mut learning, lesson.clone());
        save(&learning, 160, 45, &out.join(file))?;
    }

    // The seed's upload: a file part with the file name and type it sends, and the key header.
    let mut upload = app.clone();
    let i = upload
        .entries
        .iter()
        .position(|e| e.sample_id.as_deref() == Some("extract-fixed"))
        .ok_or("no upload sample")?;
    select(&mut upload, i);
    upload.editor.tab_index = Tab::ALL.iter().position(|t| *t == Tab::Body).unwrap_or(0);
    upload.editor.row = 1;
    send(&mut upload).await;
    save(&upload, 160, 45, &out.join("upload-file-part.png"))?;

    // The cookie lesson: the login's 303 sets the session cookie; the Vars tab lists the jar.
    let mut cookies = app.clone();
    let i = sample(&cookies, "cookie-login")?;
    select(&mut cookies, i);
    send(&mut cookies).await;
    cookies.editor.tab_index = Tab::ALL.iter().position(|t| *t == Tab::Vars).unwrap_or(0);
    cookies.editor.row = cookies.draft().map_or(0, |d| d.vars.len()) + 1;
    save(&cookies, 160, 45, &out.join("cookie-jar.png"))?;

    // A request's own settings: a short timeout and TLS checks off, said loudly.
    let mut settings = app.clone();
    if let Some(d) = settings.draft_mut() {
        d.settings.timeout_ms = Some(5000);
        d.settings.insecure = true;
    }
    settings.editor.tab_index = Tab::ALL
        .iter()
        .position(|t| *t == Tab::Settings)
        .unwrap_or(0);
    settings.editor.row = 3;
    save(&settings, 160, 45, &out.join("settings-tab.png"))?;

    // `authlens recorded.har`: a browser's recorded 401 imported, with its exchange and finding.
    let mut imported = app.clone();
    let har = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/recorded.har");
    let entries = authlens::tui::imported::entries(&har)?;
    let first = authlens::tui::imported::add(&mut imported.entries, entries).ok_or("no entry")?;
    imported.layers_changed();
    select(&mut imported, first);
    imported.derive();
    save(&imported, 160, 45, &out.join("import-har.png"))?;

    // `x`: the same upload as Python, its key read from the environment.
    let mut exporting = upload.clone();
    for c in ['x', 'j', 'j'] {
        update(&mut exporting, key(KeyCode::Char(c)));
    }
    save(&exporting, 160, 45, &out.join("export-python-requests.png"))?;

    // `--spec`: the practice server's own document loaded, the key sent as Bearer judged by it.
    let mut specced = app.clone();
    authlens::tui::spec::want(&mut specced, server.url("/openapi.json"));
    let effects = update(&mut specced, Msg::Started);
    if let [Effect::LoadSpec { id, source }] = &effects[..] {
        let options = authlens::send::Options::default();
        let result = authlens::send::document::load_spec(source, &options)
            .await
            .map(Box::new);
        update(&mut specced, Msg::SpecLoaded { id: *id, result });
    }
    let i = specced
        .entries
        .iter()
        .position(|e| e.sample_id.as_deref() == Some("extract-wrong-slot"))
        .ok_or("no wrong-slot sample")?;
    select(&mut specced, i);
    send(&mut specced).await;
    save(&specced, 160, 45, &out.join("spec-wrong-slot.png"))?;

    // `.http` files: the seed upload kept in a file, its key from the `dev` environment.
    let mut kept = app.clone();
    let dir = std::env::temp_dir().join("authlens-screenshot-http");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    std::fs::copy(&page, dir.join("page1.jpg"))?;
    std::fs::write(dir.join("api.http"), HTTP_FILE)?;
    let envs = format!(
        "{{\"dev\": {{\"host\": \"{}\"}}, \"prod\": {{\"host\": \"https://api.example.com\"}}}}",
        server.url("")
    );
    std::fs::write(dir.join("http-client.env.json"), envs)?;
    let private = format!("{{\"dev\": {{\"API_KEY\": \"{}\"}}}}", keys::API_KEY);
    std::fs::write(dir.join("http-client.private.env.json"), private)?;
    let opened = authlens::tui::collection::open_all(&[dir.join("api.http")]);
    authlens::tui::open_collection(&mut kept, (opened.0, opened.1, true));
    update(&mut kept, key(KeyCode::Char('E')));
    send(&mut kept).await;
    kept.editor.tab_index = Tab::ALL.iter().position(|t| *t == Tab::Vars).unwrap_or(0);
    save(&kept, 160, 45, &out.join("http-file-env-dev.png"))?;

    // `authlens watch`: a short synthetic session (fake keys), the 401 selected.
    let mut watching = tui_common::watch::watch_app();
    for m in tui_common::watch::session() {
        update(&mut watching, m);
    }
    update(&mut watching, key(KeyCode::Char('k')));
    update(&mut watching, key(KeyCode::Char('k')));
    save(&watching, 160, 45, &out.join("watch-160x45.png"))?;

    let mut help = app.clone();
    update(&mut help, key(KeyCode::Char('?')));
    save(&help, 120, 40, &out.join("help.png"))?;
    println!("wrote PNGs to {}", out.display());
    Ok(())
}

/// Ctrl+S through `update`, the send done here as the runtime would, the result fed back.
/// The index of the sample with this id.
fn sample(app: &App, id: &str) -> Result<usize, String> {
    app.entries
        .iter()
        .position(|e| e.sample_id.as_deref() == Some(id))
        .ok_or_else(|| format!("no sample {id}"))
}

async fn send(app: &mut App) {
    let effects = update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    let Some(Effect::Send {
        id,
        draft,
        vars,
        rules,
        mut jar,
    }) = effects.into_iter().next()
    else {
        panic!("no send")
    };
    let result = authlens::send::run_with_jar(&draft, &vars, &Default::default(), &mut jar).await;
    update(app, Msg::JarAfterSend { id, jar });
    update(
        app,
        Msg::SendDone {
            id,
            result: runtime::load_result(result, &draft, &vars, &rules),
        },
    );
}

/// `c` through `update`, the four sends done here as the runtime would, the outcomes fed back.
async fn compare(app: &mut App) {
    let effects = update(app, key(KeyCode::Char('c')));
    let Some(Effect::Compare {
        id,
        draft,
        vars,
        credential,
        rules,
    }) = effects.into_iter().next()
    else {
        panic!("no compare")
    };
    let opts = authlens::send::Options::default();
    let outcomes = authlens::slots::run(&draft, &vars, &credential, &opts, &rules).await;
    update(app, Msg::CompareDone { id, outcomes });
}

/// The shared variables-view state, with the finding this screen is about selected: the
/// stale exported key.
fn shadowed() -> App {
    let mut app = tui_common::shadowed_app();
    let shadow = app.findings.iter().position(
        |f| matches!(&f.anchor, authlens::rules::Anchor::Variable { name } if name == "API_KEY"),
    );
    app.finding_sel = shadow.unwrap_or(0);
    app
}

fn save(app: &App, w: u16, h: u16, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let buf = authlens::tui::ui::render_to_buffer(app, w, h);
    let svg = to_svg(&buf);
    let mut opt = usvg::Options {
        font_family: "DejaVu Sans Mono".into(),
        ..usvg::Options::default()
    };
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots/fonts");
    for f in [
        "DejaVuSansMono.ttf",
        "DejaVuSansMono-Bold.ttf",
        "DejaVuSans.ttf",
    ] {
        opt.fontdb_mut()
            .load_font_data(std::fs::read(fonts.join(f))?);
    }
    let tree = usvg::Tree::from_str(&svg, &opt)?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("empty image")?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.save_png(path)?;
    println!("  {}", path.display());
    Ok(())
}

fn hex(c: Color, default: &str) -> String {
    let named = match c {
        Color::Reset => return default.to_string(),
        Color::Rgb(r, g, b) => return format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Black => "#1b1d23",
        Color::Red => "#e06c75",
        Color::Green => "#98c379",
        Color::Yellow => "#e5c07b",
        Color::Blue => "#61afef",
        Color::Magenta => "#c678dd",
        Color::Cyan => "#56b6c2",
        Color::Gray => "#abb2bf",
        Color::DarkGray => "#5c6370",
        Color::White => "#ffffff",
        _ => default,
    };
    named.to_string()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One rect per cell background and one `<text>` per run of same-styled cells, each glyph
/// placed on its own column so the grid stays exact whatever the font's advances.
fn to_svg(buf: &Buffer) -> String {
    let (w, h) = (buf.area.width, buf.area.height);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}"><rect width="100%" height="100%" fill="{BG}"/>"#,
        (w as f32 * CELL_W + 16.0).ceil(),
        (h as f32 * CELL_H + 16.0).ceil()
    );
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let cell = &buf[(x, y)];
            let (fg, bg) = colors(cell);
            let start = x;
            let mut xs = Vec::new();
            let mut text = String::new();
            while x < w && same_style(&buf[(start, y)], &buf[(x, y)]) {
                let px = 8.0 + x as f32 * CELL_W;
                if bg != BG {
                    let _ = write!(
                        s,
                        r#"<rect x="{px:.1}" y="{:.1}" width="{:.1}" height="{CELL_H}" fill="{bg}"/>"#,
                        8.0 + y as f32 * CELL_H,
                        CELL_W + 0.3
                    );
                }
                let sym = buf[(x, y)].symbol();
                if sym != " " && !sym.is_empty() {
                    xs.push(format!("{px:.1}"));
                    text.push_str(sym);
                }
                x += 1;
            }
            if !text.is_empty() {
                run(&mut s, cell, &fg, &xs, y, &text);
            }
            if x == start {
                x += 1;
            }
        }
    }
    s.push_str("</svg>");
    s
}

fn run(s: &mut String, cell: &ratatui::buffer::Cell, fg: &str, xs: &[String], y: u16, text: &str) {
    let m = cell.modifier;
    let weight = if m.contains(Modifier::BOLD) {
        "bold"
    } else {
        "normal"
    };
    let style = if m.contains(Modifier::ITALIC) {
        "italic"
    } else {
        "normal"
    };
    let opacity = if m.contains(Modifier::DIM) { 0.6 } else { 1.0 };
    let mut deco = Vec::new();
    if m.contains(Modifier::UNDERLINED) {
        deco.push("underline");
    }
    if m.contains(Modifier::CROSSED_OUT) {
        deco.push("line-through");
    }
    let deco = if deco.is_empty() {
        "none".to_string()
    } else {
        deco.join(" ")
    };
    let _ = write!(
        s,
        r#"<text x="{}" y="{:.1}" font-family="DejaVu Sans Mono" font-size="{FONT_SIZE}" font-weight="{weight}" font-style="{style}" fill="{fg}" fill-opacity="{opacity}" text-decoration="{deco}" xml:space="preserve">{}</text>"#,
        xs.join(" "),
        8.0 + y as f32 * CELL_H + CELL_H * 0.76,
        esc(text)
    );
}

fn colors(cell: &ratatui::buffer::Cell) -> (String, String) {
    let (fg, bg) = (hex(cell.fg, FG), hex(cell.bg, BG));
    if cell.modifier.contains(Modifier::REVERSED) {
        (if bg == BG { "#1b1d23".into() } else { bg }, fg)
    } else {
        (fg, bg)
    }
}

fn same_style(a: &ratatui::buffer::Cell, b: &ratatui::buffer::Cell) -> bool {
    a.fg == b.fg && a.bg == b.bg && a.modifier == b.modifier
}
