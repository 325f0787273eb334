//! Measures the assistant's retrieval on question sets (TSV: `lang`,
//! `expect` = slug or `-`, `handoff` = yes/no, `question`) and prints a
//! Markdown report: top-1 accuracy, MRR@3, hand-off precision and recall,
//! by language, and the time per question.
//!
//! `help-eval [--misses] [--explain] FILE…` — `--misses` also lists every
//! miss, `--explain` how each miss was read (terms, weights, matches).

use std::time::Instant;

use kontor_help::{HelpCenter, Lang, default_values};

struct Row {
    lang: Lang,
    expect: Option<String>,
    handoff: bool,
    question: String,
}

#[derive(Default)]
struct Tally {
    answerable: usize,
    top1: usize,
    reciprocal_rank: f64,
    out_of_scope: usize,
    out_of_scope_handed_off: usize,
    /// Questions that should not be handed off, and those that were.
    keep: usize,
    keep_handed_off: usize,
    /// Hand-off confusion.
    true_handoff: usize,
    false_handoff: usize,
    missed_handoff: usize,
    detected: usize,
    rows: usize,
}

impl Tally {
    fn ratio(a: usize, b: usize) -> String {
        if b == 0 {
            "–".into()
        } else {
            format!("{:.3} ({a}/{b})", a as f64 / b as f64)
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let explain = args.iter().any(|arg| arg == "--explain");
    let misses = explain || args.iter().any(|arg| arg == "--misses");
    let files: Vec<&String> = args.iter().filter(|arg| !arg.starts_with("--")).collect();
    if files.is_empty() {
        return Err("usage: help-eval [--misses] [--explain] FILE…".into());
    }
    let started = Instant::now();
    let help = HelpCenter::build(default_values)?;
    let build_ms = started.elapsed().as_secs_f64() * 1000.0;
    println!("# Assistant retrieval\n");
    println!(
        "Written by `bench/assistant/run` (`help-eval`). Help center built and indexed in {build_ms:.0} ms."
    );
    println!(
        "Each question is asked without a language (detected; German when undecided), as `POST /api/v1/assistant/ask` does for a German-speaking person.\n"
    );
    for file in files {
        let rows = read(file)?;
        let mut all = Tally::default();
        let mut by_lang = [Tally::default(), Tally::default()];
        let mut times = Vec::with_capacity(rows.len());
        let mut missed = Vec::new();
        for row in &rows {
            let asked = Instant::now();
            let reply = help.ask(&row.question, None, Lang::De);
            times.push(asked.elapsed().as_secs_f64() * 1000.0);
            let slugs: Vec<&str> = reply
                .answers
                .iter()
                .map(|answer| answer.slug.as_str())
                .collect();
            let handed_off = reply.suggest_handoff();
            for tally in [&mut all, &mut by_lang[usize::from(row.lang == Lang::En)]] {
                tally.rows += 1;
                tally.detected += usize::from(reply.lang == row.lang);
                match &row.expect {
                    Some(expect) => {
                        tally.answerable += 1;
                        tally.top1 += usize::from(slugs.first() == Some(&expect.as_str()));
                        if let Some(rank) = slugs.iter().position(|slug| slug == expect) {
                            tally.reciprocal_rank += 1.0 / (rank + 1) as f64;
                        }
                    }
                    None => {
                        tally.out_of_scope += 1;
                        tally.out_of_scope_handed_off += usize::from(handed_off);
                    }
                }
                if !row.handoff {
                    tally.keep += 1;
                    tally.keep_handed_off += usize::from(handed_off);
                }
                match (row.handoff, handed_off) {
                    (true, true) => tally.true_handoff += 1,
                    (false, true) => tally.false_handoff += 1,
                    (true, false) => tally.missed_handoff += 1,
                    (false, false) => {}
                }
            }
            let wrong = match &row.expect {
                Some(expect) => {
                    slugs.first() != Some(&expect.as_str()) || handed_off != row.handoff
                }
                None => !handed_off,
            };
            if wrong {
                missed.push(format!(
                    "| {} | {} | {} | {} | {} |",
                    row.lang.as_str(),
                    row.question.replace('|', "/"),
                    row.expect.as_deref().unwrap_or("–"),
                    if slugs.is_empty() {
                        "–".to_owned()
                    } else {
                        slugs.join(", ")
                    },
                    if handed_off { "yes" } else { "no" },
                ));
                if explain {
                    eprintln!(
                        "{}\n{}\n",
                        row.question,
                        help.explain(&row.question, Lang::De)
                    );
                }
            }
        }
        times.sort_by(f64::total_cmp);
        let percentile =
            |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
        println!("## {file}\n");
        println!(
            "{} questions. Time per question (in process): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms.\n",
            rows.len(),
            percentile(0.5),
            percentile(0.95),
            percentile(1.0)
        );
        println!("| | all | German | English |\n|---|---|---|---|");
        let line = |name: &str, f: &dyn Fn(&Tally) -> String| {
            println!(
                "| {name} | {} | {} | {} |",
                f(&all),
                f(&by_lang[0]),
                f(&by_lang[1])
            );
        };
        line("top-1 accuracy (answerable)", &|t| {
            Tally::ratio(t.top1, t.answerable)
        });
        line("MRR@3 (answerable)", &|t| {
            if t.answerable == 0 {
                "–".into()
            } else {
                format!("{:.3}", t.reciprocal_rank / t.answerable as f64)
            }
        });
        line("hand-off precision", &|t| {
            Tally::ratio(t.true_handoff, t.true_handoff + t.false_handoff)
        });
        line("hand-off recall", &|t| {
            Tally::ratio(t.true_handoff, t.true_handoff + t.missed_handoff)
        });
        line("out-of-scope handed off", &|t| {
            Tally::ratio(t.out_of_scope_handed_off, t.out_of_scope)
        });
        line("answerable handed off", &|t| {
            Tally::ratio(t.keep_handed_off, t.keep)
        });
        line("language detected", &|t| Tally::ratio(t.detected, t.rows));
        println!();
        if misses && !missed.is_empty() {
            println!(
                "### Misses\n\n| lang | question | expected | answered | hand-off |\n|---|---|---|---|---|"
            );
            for line in missed {
                println!("{line}");
            }
            println!();
        }
    }
    Ok(())
}

fn read(path: &str) -> Result<Vec<Row>, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [lang, expect, handoff, question] = fields[..] else {
            return Err(format!("{path}:{}: expected 4 tab-separated fields", n + 1).into());
        };
        rows.push(Row {
            lang: Lang::parse(lang)
                .ok_or_else(|| format!("{path}:{}: lang {lang:?} is not de or en", n + 1))?,
            expect: (expect != "-").then(|| expect.to_owned()),
            handoff: match handoff {
                "yes" => true,
                "no" => false,
                other => {
                    return Err(
                        format!("{path}:{}: handoff {other:?} is not yes or no", n + 1).into(),
                    );
                }
            },
            question: question.to_owned(),
        });
    }
    Ok(rows)
}
