//! The OpenAI-compatible stream reader on any server answer. Input: stop sequences
//! (NUL-separated) before the first 0xFF byte, the raw stream after it (no 0xFF: no
//! stops). What reaches the sink is the reply, piece by piece, and no stop sequence
//! survives into it.

#![no_main]

use std::time::Instant;

use codey::llm::Request;
use codey::llm::openai::read_stream;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (stops, stream) = match data.iter().position(|&b| b == 0xFF) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&[][..], data),
    };
    let mut request = Request::new(Vec::new());
    if !stops.is_empty() {
        request.stop = String::from_utf8_lossy(stops)
            .split('\0')
            .take(4)
            .map(str::to_string)
            .collect();
    }
    let mut shown = String::new();
    let mut pieces = 0;
    let result = read_stream(
        stream,
        "http://fuzz.invalid/v1",
        &request,
        Instant::now(),
        &mut |p| {
            assert!(!p.is_empty(), "an empty piece reached the sink");
            pieces += 1;
            shown.push_str(p);
        },
    );
    let Ok(streamed) = result else { return };
    assert_eq!(
        streamed.text, shown,
        "the reply is not what the sink was shown"
    );
    assert!(
        pieces <= streamed.chunks + 1,
        "{pieces} pieces from {} chunks",
        streamed.chunks
    );
    for stop in request.stop.iter().filter(|s| !s.is_empty()) {
        assert!(
            !streamed.text.contains(stop.as_str()),
            "stop sequence {stop:?} is in the reply {:?}",
            streamed.text
        );
    }
});
