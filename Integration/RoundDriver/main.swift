// `round-driver`: the simulated host node (Integration/README.md).
RoundDriverCommand.main()
