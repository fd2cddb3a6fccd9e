import ArgumentParser
import OrcaAPIServer

/// `orca`: the master, the minion and the local cluster, as subcommands of one binary.
@main
struct Orca: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orca",
        abstract: "A container orchestrator: the master, minions and a local cluster.",
        version: OrcaVersion.string,
        subcommands: [MasterCommand.self, MinionCommand.self, UpCommand.self, DownCommand.self, StatusCommand.self,
                      ImageCommand.self, HollowCommand.self])
}
