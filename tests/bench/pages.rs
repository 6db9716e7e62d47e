//! Load benchmark of the public pages, run by `.ci/bench` against a release
//! server over a demo database (never part of the test suite: numbers depend on
//! the machine). For each page: 32 connections, a fixed number of requests;
//! reports throughput, p50/p99 latency, the server's CPU time per request (from
//! /proc), and its resident memory, against the targets in the README.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 32;
const REQUESTS: usize = 20_000;
const WARMUP: usize = 1_000;
const PAGES: &[&str] = &["/products", "/blog", "/blog/shipping-a-web-app-as-one-binary", "/"];

/// Targets: CPU per request, p99 latency, resident memory.
const MAX_CPU_MS: f64 = 0.15;
const MAX_P99_MS: f64 = 5.0;
const MAX_RSS_MB: f64 = 40.0;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run this through .ci/bench"))
}

/// User plus system CPU time of a process, in clock ticks.
fn cpu_ticks(pid: &str) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("the server process is running");
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn rss_mb(pid: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

async fn hammer(client: &reqwest::Client, url: &str, total: usize) -> Vec<Duration> {
    let left = Arc::new(AtomicUsize::new(total));
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let (client, url, left) = (client.clone(), url.to_owned(), left.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1)).is_ok() {
                let start = Instant::now();
                let res = client.get(&url).send().await.expect("request");
                assert!(res.status().is_success(), "{url}: {}", res.status());
                res.bytes().await.expect("body");
                times.push(start.elapsed());
            }
            times
        }));
    }
    let mut all = Vec::with_capacity(total);
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    all
}

#[tokio::main]
async fn main() {
    let base = env("BENCH_URL");
    let pid = env("BENCH_PID");
    let ticks_per_sec: f64 = env("BENCH_CLK_TCK").parse().unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    // As a browser asks: the server compresses, and that is part of the cost.
    headers.insert("accept-encoding", "br, gzip".parse().unwrap());
    let client =
        reqwest::Client::builder().default_headers(headers).pool_max_idle_per_host(CONNECTIONS).build().unwrap();
    println!(
        "{:<42} {:>9} {:>8} {:>8} {:>10} {:>8}",
        "page (32 connections)", "req/s", "p50 ms", "p99 ms", "CPU ms/req", "RSS MB"
    );
    let mut ok = true;
    for page in PAGES {
        let url = format!("{base}{page}");
        hammer(&client, &url, WARMUP).await;
        let cpu_before = cpu_ticks(&pid);
        let start = Instant::now();
        let times = hammer(&client, &url, REQUESTS).await;
        let elapsed = start.elapsed().as_secs_f64();
        let cpu_ms = (cpu_ticks(&pid) - cpu_before) as f64 / ticks_per_sec * 1000.0 / REQUESTS as f64;
        let ms = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0;
        let (p50, p99, rss) = (ms(0.50), ms(0.99), rss_mb(&pid));
        let verdict = cpu_ms <= MAX_CPU_MS && p99 <= MAX_P99_MS && rss <= MAX_RSS_MB;
        ok &= verdict;
        println!(
            "{:<42} {:>9.0} {:>8.2} {:>8.2} {:>10.3} {:>8.1}  {}",
            page,
            REQUESTS as f64 / elapsed,
            p50,
            p99,
            cpu_ms,
            rss,
            if verdict { "ok" } else { "over target" }
        );
    }
    println!(
        "targets: CPU <= {MAX_CPU_MS} ms/request, p99 < {MAX_P99_MS} ms, RSS < {MAX_RSS_MB} MB -> {}",
        if ok { "all met" } else { "NOT all met" }
    );
}
