//! Slow-HTTP attacks on the listener: a request head that never ends, a body that trickles,
//! and more sockets than the server will hold. Each must cost the server a bounded time and
//! never shut out the next client. Deadlines are shortened (`ConnectionLimits`) so the tests
//! see the server give up; every read has its own generous bound, so a server that never
//! gives up fails the test instead of hanging it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use twostep_core::protocol::paths;
use twostep_server::ConnectionLimits;

use crate::support::Harness;

const LIMITS: ConnectionLimits =
    ConnectionLimits { header_read: Duration::from_millis(500), request: Duration::from_millis(700), max_open: 8 };

fn harness() -> Harness {
    Harness::start_with(|config| config.connections = LIMITS)
}

fn connect(h: &Harness) -> TcpStream {
    let stream = TcpStream::connect(h.server.addr()).unwrap();
    // Far past the server's deadlines: reaching it means the server held on.
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream
}

/// Everything the server sends until it closes the connection.
fn read_to_close(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    match stream.read_to_end(&mut answer) {
        Ok(_) => String::from_utf8_lossy(&answer).into_owned(),
        Err(e) => panic!("the server kept the connection open past its deadline: {e}"),
    }
}

#[test]
fn a_request_head_that_never_ends_is_cut() {
    let h = harness();
    let mut stream = connect(&h);
    stream.write_all(format!("GET {} HTTP/1.1\r\nHost: x\r\nX-Slow: ", paths::TIME).as_bytes()).unwrap();
    // Nothing more: the server closes the connection, with no answer to a request it never got.
    let answer = read_to_close(&mut stream);
    assert!(!answer.contains("200 OK"), "{answer}");
}

#[test]
fn a_socket_opened_and_left_silent_is_closed() {
    let h = harness();
    let mut stream = connect(&h);
    assert_eq!(read_to_close(&mut stream), "");
}

#[test]
fn a_body_that_trickles_is_answered_408_and_closed() {
    let h = harness();
    let mut stream = connect(&h);
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"email\":",
        paths::SIGN_IN
    );
    stream.write_all(head.as_bytes()).unwrap();
    let answer = read_to_close(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("did not arrive in time"), "{answer}");
}

#[test]
fn sockets_past_the_cap_are_closed_and_the_server_answers_once_the_silent_ones_are_cut() {
    let h = harness();
    let silent: Vec<TcpStream> = (0..LIMITS.max_open).map(|_| connect(&h)).collect();
    // The cap is reached: one more is closed at once rather than queued.
    let mut over = connect(&h);
    assert_eq!(read_to_close(&mut over), "");

    // The silent ones are cut at their deadline, and a real request is served again.
    for mut stream in silent {
        assert_eq!(read_to_close(&mut stream), "");
    }
    let mut stream = connect(&h);
    stream
        .write_all(format!("GET {} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", paths::TIME).as_bytes())
        .unwrap();
    let answer = read_to_close(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn an_oversized_request_head_is_refused() {
    let h = harness();
    let mut stream = connect(&h);
    let huge = "a".repeat(2 * twostep_server::listen::MAX_HEAD_BYTES);
    let request = format!("GET {} HTTP/1.1\r\nHost: x\r\nX-Big: {huge}\r\n\r\n", paths::TIME);
    // The server may close before it has read it all: a failed write is a refusal too.
    let _ = stream.write_all(request.as_bytes());
    let answer = read_to_close(&mut stream);
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 431"), "{answer}");
}
