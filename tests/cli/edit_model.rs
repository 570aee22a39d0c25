//! Edits by a real model: Qwen2.5-Coder 0.5B through llama.cpp, greedy, on a small
//! Python file. The assertions run the edited code, so they check what the model
//! wrote, not just that something was written.

use std::process::Command;

use crate::common::{QWEN_05B, TestEnv, assert_success, test_model};

const MATHX: &str = "def square(x):\n    return x * x\n\n\ndef cube(x):\n    return x * x * x\n";

#[test]
fn a_real_model_adds_a_working_function_then_a_test_for_it() {
    let env = TestEnv::new();
    env.write("mathx.py", MATHX);
    env.git(&["add", "mathx.py"]);
    env.git(&["commit", "-q", "-m", "mathx"]);
    // A request to Qwen 0.5B, greedy on two threads, which must succeed.
    let ask = |args: &[&str]| {
        let out = env
            .codey()
            .env("CODEY_MODELS_CODER_PATH", test_model(QWEN_05B))
            .env("CODEY_MODELS_CODER_CONTEXT_SIZE", "2048")
            .env("CODEY_MODELS_CODER_MAX_TOKENS", "256")
            .env("CODEY_MODELS_CODER_THREADS", "2")
            .args(args)
            .output()
            .expect("runs");
        assert_success(&out);
    };
    ask(&[
        "--yes",
        "--commit",
        "add a function is_even(n) to mathx.py that returns True when n is even",
    ]);
    let check = Command::new("python3")
        .args([
            "-c",
            "import mathx\nassert mathx.is_even(4) and mathx.is_even(0) and not mathx.is_even(7)\nassert mathx.square(3) == 9 and mathx.cube(2) == 8",
        ])
        .current_dir(&env.repo)
        .output()
        .expect("python3 runs");
    assert!(
        check.status.success(),
        "the edited file:\n{}\n{}",
        env.read("mathx.py").unwrap_or_default(),
        String::from_utf8_lossy(&check.stderr)
    );
    // Committed: exactly that file, and the work tree is clean.
    assert_eq!(
        env.git(&["show", "--name-only", "--format=", "HEAD"]),
        "mathx.py\n"
    );
    assert_eq!(env.git(&["status", "--porcelain"]), "");

    // The follow-up names no file and says "it": a test of is_even that imports it
    // (the model leaves the import out; the repository map says where is_even lives,
    // and the checks confirm the mended file) and passes when run.
    ask(&["--yes", "now add a test for it"]);
    let status = env.git(&["status", "--porcelain"]);
    let created: Vec<&str> = status
        .lines()
        .filter_map(|l| l.strip_prefix("?? "))
        .filter(|p| p.ends_with(".py"))
        .collect();
    let [test_file] = created.as_slice() else {
        panic!("one new test file expected: {status}");
    };
    let text = env.read(test_file).unwrap_or_default();
    assert!(
        text.contains("from mathx import is_even") || text.contains("import mathx"),
        "{test_file}:\n{text}"
    );
    assert!(text.contains("is_even("), "{test_file}:\n{text}");
    let module = test_file.trim_end_matches(".py").replace('/', ".");
    let run_tests = format!(
        "import {module} as t\nran = [f() for n, f in vars(t).items() if n.startswith('test') and callable(f)]\nassert ran, 'no test function'"
    );
    let check = Command::new("python3")
        .args(["-c", &run_tests])
        .current_dir(&env.repo)
        .output()
        .expect("python3 runs");
    assert!(
        check.status.success(),
        "{test_file}:\n{text}\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
