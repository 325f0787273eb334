//! Identifier parsing (R2): never panics; what parses is normalised (only
//! digits, the right length) and parses again to itself.
#![no_main]

use kontor_core::domain::ids::{
    AgreementKind, AgreementNumber, ContractNumber, Csn, SubscriptionId,
};
use libfuzzer_sys::fuzz_target;

fn stable<T: PartialEq + std::fmt::Debug>(
    parsed: Result<T, impl std::fmt::Debug>,
    text: impl Fn(&T) -> String,
    again: impl Fn(&str) -> Option<T>,
    len: &[usize],
) {
    if let Ok(id) = parsed {
        let s = text(&id);
        assert!(len.contains(&s.len()), "{s:?}");
        assert!(s.bytes().all(|b| b.is_ascii_digit()), "{s:?}");
        assert_eq!(again(&s).as_ref(), Some(&id));
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    stable(
        Csn::parse(raw),
        |c| c.as_str().to_owned(),
        |s| Csn::parse(s).ok(),
        &[10],
    );
    stable(
        ContractNumber::parse(raw),
        |c| c.as_str().to_owned(),
        |s| ContractNumber::parse(s).ok(),
        &[12],
    );
    stable(
        SubscriptionId::parse(raw),
        |c| c.as_str().to_owned(),
        |s| SubscriptionId::parse(s).ok(),
        &[14],
    );
    stable(
        AgreementNumber::parse(raw),
        |c| c.as_str().to_owned(),
        |s| AgreementNumber::parse(s).ok(),
        &[12, 14],
    );
    for kind in [AgreementKind::Contract, AgreementKind::Subscription] {
        if let Ok(n) = AgreementNumber::parse_kind(raw, kind) {
            assert_eq!(n.kind(), kind);
        }
    }
});
