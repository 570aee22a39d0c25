//! Edits by a real model: Qwen2.5-Coder 0.5B through llama.cpp, greedy, on a small
//! Python file. The assertions run the edited code, so they check what the model
//! wrote, not just that something was written.

use std::process::Command;

use crate::common::{QWEN_05B, TestEnv, test_model};

const MATHX: &str = "def square(x):\n    return x * x\n\n\ndef cube(x):\n    return x * x * x\n";

#[test]
fn a_real_model_adds_a_working_function_and_keeps_the_rest() {
    let env = TestEnv::new();
    env.write("mathx.py", MATHX);
    env.git(&["add", "mathx.py"]);
    env.git(&["commit", "-q", "-m", "mathx"]);
    let out = env
        .codey()
        .env("CODEY_MODELS_CODER_PATH", test_model(QWEN_05B))
        .env("CODEY_MODELS_CODER_CONTEXT_SIZE", "2048")
        .env("CODEY_MODELS_CODER_MAX_TOKENS", "256")
        .env("CODEY_MODELS_CODER_THREADS", "2")
        .args([
            "--yes",
            "--commit",
            "add a function is_even(n) to mathx.py that returns True when n is even",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
}
