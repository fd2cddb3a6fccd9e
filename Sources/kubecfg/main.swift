import Foundation
import OrcaCLI

let status = await KubecfgCommand.main(
    arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
exit(status)
