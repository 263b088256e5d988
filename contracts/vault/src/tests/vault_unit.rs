//! Unit tests of the vault's functions and error paths.
use super::env::*;

#[test]
fn constructor_sets_lrt_admin_and_reward_duration() {
    let env = Env::new();
    assert_eq!(env.view(VAULT, IVault::lrtCall {}), LRT);
    assert_eq!(env.view(VAULT, IAdmin::adminCall {}), ADMIN);
    assert_eq!(env.view(VAULT, IVault::assetCall {}), ETH);
    assert_eq!(
        env.view(VAULT, IVault::minRewardDurationCall {}),
        crate::DEFAULT_MIN_REWARD_DURATION
    );
}
