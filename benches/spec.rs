//! Cost of the API's spec: loading a 10 MB document with thousands of operations (the size
//! of the largest public APIs' specs), in JSON and in YAML, and matching a request to its
//! operation, which `lint` does on every keystroke once a spec is loaded. Target: a load well
//! under a second, a match well under the rules' 100 µs.

use authlens::draft::Draft;
use authlens::rules::{self, Context};
use authlens::spec::{self, Lookup};
use authlens::vars::{DotenvReport, Vars};
use criterion::{Criterion, black_box, criterion_group, criterion_main};
use std::fmt::Write;
use std::sync::Arc;

/// Operations in the generated document; each carries a schema big enough that the whole
/// document passes 10 MB, as real large specs do (schemas are most of their bytes).
const OPERATIONS: usize = 4000;

/// A FastAPI-shaped document: `/api/v1/resource{i}/{id}` GET and POST, security on each,
/// a response schema of 20 properties per operation.
fn big_json() -> String {
    let mut paths = String::new();
    for i in 0..OPERATIONS / 2 {
        let props: String = (0..20)
            .map(|p| format!("\"field_{p}\":{{\"type\":\"string\",\"title\":\"Field {p} of resource {i}\",\"description\":\"A property the generator wrote out in full, as springdoc and FastAPI do.\"}}"))
            .collect::<Vec<_>>()
            .join(",");
        let op = |verb: &str| {
            format!(
                "\"{verb}\":{{\"operationId\":\"{verb}_resource{i}\",\"summary\":\"{verb} resource {i}\",\"security\":[{{\"APIKeyHeader\":[]}}],\"responses\":{{\"200\":{{\"description\":\"OK\",\"content\":{{\"application/json\":{{\"schema\":{{\"type\":\"object\",\"properties\":{{{props}}}}}}}}}}}}}}}"
            )
        };
        if i > 0 {
            paths.push(',');
        }
        let _ = write!(
            paths,
            "\"/api/v1/resource{i}/{{id}}\":{{{},{}}}",
            op("get"),
            op("post")
        );
    }
    format!(
        "{{\"openapi\":\"3.1.0\",\"info\":{{\"title\":\"Big\",\"version\":\"1\"}},\"paths\":{{{paths}}},\"components\":{{\"securitySchemes\":{{\"APIKeyHeader\":{{\"type\":\"apiKey\",\"in\":\"header\",\"name\":\"X-API-Key\"}}}}}}}}"
    )
}

/// The same document in block YAML.
fn big_yaml() -> String {
    let mut out = String::from("openapi: 3.1.0\ninfo:\n  title: Big\n  version: '1'\npaths:\n");
    for i in 0..OPERATIONS / 2 {
        let _ = writeln!(out, "  /api/v1/resource{i}/{{id}}:");
        for verb in ["get", "post"] {
            let _ = write!(
                out,
                "    {verb}:\n      operationId: {verb}_resource{i}\n      security:\n        - APIKeyHeader: []\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n"
            );
            for p in 0..20 {
                let _ = write!(
                    out,
                    "                  field_{p}:\n                    type: string\n                    description: A property the generator wrote out in full.\n"
                );
            }
        }
    }
    out.push_str("components:\n  securitySchemes:\n    APIKeyHeader:\n      type: apiKey\n      in: header\n      name: X-API-Key\n");
    out
}

fn bench(c: &mut Criterion) {
    let json = big_json();
    let yaml = big_yaml();
    assert!(json.len() >= 10 << 20, "{} bytes of JSON", json.len());
    eprintln!(
        "JSON {} MB, YAML {} MB, {OPERATIONS} operations",
        json.len() >> 20,
        yaml.len() >> 20
    );
    let mut g = c.benchmark_group("spec");
    g.sample_size(10);
    g.bench_function("load 10 MB JSON", |b| {
        b.iter(|| spec::parse(black_box(&json), "big.json", None).unwrap())
    });
    g.bench_function("load 10 MB YAML", |b| {
        b.iter(|| spec::parse(black_box(&yaml), "big.yaml", None).unwrap())
    });
    g.finish();
    let loaded = Arc::new(spec::parse(&json, "big.json", None).unwrap());
    let last = format!("http://localhost/api/v1/resource{}/42", OPERATIONS / 2 - 1);
    c.bench_function("spec/match the last of 4000 operations", |b| {
        b.iter(|| {
            assert!(matches!(
                loaded.find("POST", black_box(&last)),
                Lookup::Found(_)
            ))
        })
    });
    let draft = Draft::new("POST", &last).header("Authorization", "Bearer FAKE-EXAMPLE-0000");
    let vars = Vars::build(&[], [], DotenvReport::default());
    let ctx = Context {
        spec: Some(loaded.clone()),
        ..Context::default()
    };
    c.bench_function("spec/lint with the 10 MB spec loaded", |b| {
        b.iter(|| rules::lint(black_box(&draft), &vars, &ctx))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
