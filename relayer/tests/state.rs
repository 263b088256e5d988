//! The state file: JSON round trip, atomic replacement, versioning, pending order, pruning,
//! and the route/config parsers.

use std::collections::BTreeSet;
use std::time::Duration;

use alloy::primitives::Address;
use relayer::packet::{Header, Packet};
use relayer::state::{route_id, PacketRecord, State, RETAIN_DELIVERED, STATE_VERSION};
use relayer::{Config, Route, StartBlock};

fn packet(nonce: u64) -> Packet {
    let header = Header {
        nonce,
        src_eid: 1,
        sender: Address::repeat_byte(1).into_word(),
        dst_eid: 2,
        receiver: Address::repeat_byte(2).into_word(),
    };
    Packet {
        header,
        guid: header.guid(),
        message: vec![nonce as u8; 3].into(),
    }
}

fn sample() -> State {
    let mut s = State::new();
    let id = route_id(1, Address::repeat_byte(0xaa), 2, Address::repeat_byte(0xbb));
    let r = s.route_mut(&id);
    r.scanned_to = Some(41);
    r.delivered_total = 3;
    let p1 = packet(1);
    let mut rec = PacketRecord::new(&p1, 40, 2);
    rec.verified_by = BTreeSet::from([Address::repeat_byte(5), Address::repeat_byte(6)]);
    rec.committed = true;
    rec.failures = 2;
    rec.next_attempt_ms = 1_700_000_000_000;
    rec.last_error = Some("deliver: receiver failed".into());
    r.packets.insert(p1.guid, rec);
    let p2 = packet(2);
    r.packets.insert(p2.guid, PacketRecord::new(&p2, 41, 0));
    s
}

#[test]
fn round_trips_through_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state.json");
    let s = sample();
    s.save(&path).expect("save");
    let back = State::load(&path).expect("load");
    assert_eq!(back, s);
    let rec = back.routes.values().next().expect("route").packets[&packet(1).guid].clone();
    assert_eq!(rec.packet().expect("stored packet decodes"), packet(1));
    // Saving again replaces the file and leaves no temporary behind.
    let mut s2 = back;
    s2.route_mut("x").scanned_to = Some(9);
    s2.save(&path).expect("second save");
    assert_eq!(State::load(&path).expect("reload"), s2);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("state.json")]);
}

#[test]
fn the_file_is_readable_json_keyed_by_route_and_guid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("s.json");
    sample().save(&path).expect("save");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    assert_eq!(v["version"], STATE_VERSION);
    let id = route_id(1, Address::repeat_byte(0xaa), 2, Address::repeat_byte(0xbb));
    let route = &v["routes"][&id];
    assert_eq!(route["scanned_to"], 41);
    let key = packet(1).guid.to_string();
    assert_eq!(route["packets"][&key]["committed"], true);
    assert_eq!(
        route["packets"][&key]["verified_by"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[test]
fn a_missing_file_is_an_empty_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = State::load(&dir.path().join("none.json")).expect("missing is fine");
    assert_eq!(s, State::new());
    assert!(s.routes.is_empty());
}

#[test]
fn corrupt_or_foreign_files_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad.json");
    std::fs::write(&path, "{ not json").expect("write");
    let err = State::load(&path).expect_err("corrupt");
    assert!(
        format!("{err:#}").contains("parsing the state file"),
        "{err:#}"
    );
    std::fs::write(&path, r#"{"version": 99, "routes": {}}"#).expect("write");
    let err = State::load(&path).expect_err("other version");
    assert!(format!("{err:#}").contains("version 99"), "{err:#}");
}

#[test]
fn a_leftover_temporary_file_does_not_matter() {
    // A crash between writing the temporary file and the rename leaves it behind; the
    // state is the old file, and the next save overwrites the temporary.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state.json");
    let s = sample();
    s.save(&path).expect("save");
    std::fs::write(dir.path().join("state.json.tmp"), "garbage").expect("write tmp");
    assert_eq!(State::load(&path).expect("load"), s);
    s.save(&path).expect("save over the leftover");
    assert!(!dir.path().join("state.json.tmp").exists());
}

#[test]
fn pending_is_in_source_order_and_skips_delivered() {
    let mut s = State::new();
    let r = s.route_mut("r");
    for (nonce, block, index) in [(3u64, 9u64, 0u64), (1, 5, 7), (2, 5, 9), (4, 9, 1)] {
        let p = packet(nonce);
        let mut rec = PacketRecord::new(&p, block, index);
        rec.delivered = nonce == 4;
        r.packets.insert(p.guid, rec);
    }
    let order: Vec<u64> = r
        .pending()
        .iter()
        .map(|g| r.packets[g].packet().expect("packet").header.nonce)
        .collect();
    assert_eq!(order, vec![1, 2, 3]);
}

#[test]
fn prune_keeps_pending_and_the_newest_delivered() {
    let mut s = State::new();
    let r = s.route_mut("r");
    let extra = 5u64;
    let total = RETAIN_DELIVERED as u64 + extra;
    for n in 1..=total {
        let p = packet(n);
        let mut rec = PacketRecord::new(&p, n, 0);
        rec.delivered = true;
        r.packets.insert(p.guid, rec);
    }
    let pending = packet(total + 1);
    r.packets
        .insert(pending.guid, PacketRecord::new(&pending, 1, 1));
    r.prune();
    assert_eq!(r.packets.len(), RETAIN_DELIVERED + 1);
    assert!(
        r.packets.contains_key(&pending.guid),
        "pending packets are never pruned"
    );
    for n in 1..=extra {
        assert!(
            !r.packets.contains_key(&packet(n).guid),
            "oldest delivered dropped"
        );
    }
    assert!(r.packets.contains_key(&packet(total).guid));
}

#[test]
fn routes_parse() {
    let r: Route = "http://a:1, 0x1111111111111111111111111111111111111111 ,http://b:2,0x2222222222222222222222222222222222222222"
        .parse()
        .expect("valid route");
    assert_eq!(r.source_rpc, "http://a:1");
    assert_eq!(r.dest_endpoint, Address::repeat_byte(0x22));
    assert_eq!(r.source_endpoint, Address::repeat_byte(0x11));
    assert_eq!(r.dest_rpc, "http://b:2");
    assert!(
        "http://a,0x11,http://b".parse::<Route>().is_err(),
        "three fields"
    );
    assert!(
        "http://a,nothex,http://b,0x2222222222222222222222222222222222222222"
            .parse::<Route>()
            .is_err()
    );
    assert!(",0x1111111111111111111111111111111111111111,http://b,0x2222222222222222222222222222222222222222"
        .parse::<Route>()
        .is_err());
    assert_eq!("latest".parse::<StartBlock>(), Ok(StartBlock::Latest));
    assert_eq!("17".parse::<StartBlock>(), Ok(StartBlock::Number(17)));
    assert!("soon".parse::<StartBlock>().is_err());
}

#[test]
fn backoff_doubles_up_to_the_maximum() {
    let mut c = Config::new(Vec::new(), "s.json".into());
    c.retry_base = Duration::from_millis(100);
    c.retry_max = Duration::from_millis(1_000);
    let got: Vec<u128> = (1..=6).map(|f| c.backoff(f).as_millis()).collect();
    assert_eq!(got, vec![100, 200, 400, 800, 1_000, 1_000]);
    assert_eq!(c.backoff(u32::MAX), Duration::from_millis(1_000));
}
