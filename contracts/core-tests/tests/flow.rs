//! End-to-end flows through the five core contracts on the test world.
#![allow(clippy::unwrap_used, missing_docs)]
mod common;
use common::*;

#[test]
fn deploy_wires_the_core() {
    let w = deploy();
    assert_eq!(w.view(REG, IRegistry::allocationManagerCall {}), AM);
    let p = w.view(DM, IDelegation::peersCall {});
    assert_eq!((p._0, p._1, p._2), (REG, AM, SM));
    let p = w.view(AM, IAllocation::peersCall {});
    assert_eq!((p._0, p._1, p._2), (REG, DM, SM));
    assert_eq!(
        w.view(AM, IAllocation::deallocationDelayCall {}),
        DEALLOC_DELAY
    );
    assert_eq!(w.view(RC, IRewards::minDurationCall {}), MIN_REWARD);
}

#[test]
fn deposit_delegate_allocate_slash() {
    let (w, set) = scenario(100, mag_pct(50));
    let stake = w.view(
        AM,
        IAllocation::slashableStakeCall {
            operator: operator(1),
            setId: set,
            at: 0,
        },
    );
    assert_eq!(stake, eth(50));
    let taken = slash(&w, 1, 1, set, wad_pct(10), DAY);
    assert_eq!(taken, eth(5));
    assert_eq!(w.eth_of(payout(1)), eth(5));
    assert_eq!(w.total_assets(vault(1)), eth(95));
    let stake = w.view(
        AM,
        IAllocation::slashableStakeCall {
            operator: operator(1),
            setId: set,
            at: 0,
        },
    );
    assert_eq!(stake, eth(45));
}
