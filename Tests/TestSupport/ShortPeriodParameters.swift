import RegistryCore

extension Parameters {
    /// The defaults with 10-round voting, execution and rent periods, a 5-round grace and a small deposit,
    /// so lifecycle tests (in process and through the plugin process) run few rounds.
    public static var shortTestPeriods: Parameters {
        var p = Parameters.defaults
        p.votingPeriodRounds = 10
        p.emergencyVotingPeriodRounds = 10
        p.executionDeadlineRounds = 10
        p.rentPeriodRounds = 10
        p.rentGraceRounds = 5
        p.proposalDeposit = 1_000
        return p
    }
}
