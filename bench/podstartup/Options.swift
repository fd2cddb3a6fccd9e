import BenchSupport
import Foundation

/// The flags of `bench-podstartup`, parsed by hand (as the other benches do).
struct Options: Sendable {
    enum Phase: String, Sendable, CaseIterable {
        case floor, sequential, burst, steps
    }

    var pods = 30
    var phases: [Phase] = Phase.allCases
    var viaScheduler = false
    var orcaBinDir: String?
    var json: String?
    var timeoutSeconds = 120.0
    var settleSeconds = 3.0
    var maxLoad = 1.5
    var loadWaitSeconds = 300.0

    static let usage = """
        usage: bench-podstartup [options]        (as root: it runs runc, CNI plugins and network namespaces)
          --pods N              pods (and raw runc containers) per phase (30)
          --phases LIST         comma-separated, in this order: floor,sequential,burst,steps (all)
                                  floor       raw `runc run -d` of the busybox image, one after another and all at once
                                  sequential  create a pod, wait until the watch sees it Running, then the next
                                  burst       create all pods at once
                                  steps       the kubelet's own steps alone: CNI sandbox, overlay rootfs
          --scheduler           leave spec.nodeName empty: the scheduler binds the pods (default: bound at creation)
          --timeout S           cap on each phase (120)
          --settle S            pause before each RSS reading (3)
          --max-load L          wait while the 1-minute load average is above L (1.5)
          --load-wait S         the longest wait for a quiet machine; 0 skips the check (300)
          --orca-bin-dir DIR    where the release `orca` is (default: next to bench-podstartup)
          --json FILE           results file (default: bench/results/podstartup.json, else a /tmp path)
        """

    static var commandLine: String {
        (["bench-podstartup"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            switch flag {
            case "--help", "-h":
                print(usage)
                exit(0)
            case "--scheduler":
                options.viaScheduler = true
                continue
            default:
                break
            }
            guard let value = rest.popFirst() else { throw BenchError("\(flag) needs a value\n\(usage)") }
            switch flag {
            case "--pods":
                guard let pods = Int(value), pods > 0 else { throw BenchError("--pods: \"\(value)\"") }
                options.pods = pods
            case "--phases":
                let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                var phases: [Phase] = []
                for name in names {
                    guard let phase = Phase(rawValue: name) else {
                        throw BenchError("--phases: \"\(name)\" is not floor, sequential, burst or steps")
                    }
                    phases.append(phase)
                }
                options.phases = Phase.allCases.filter(phases.contains)
            case "--timeout": options.timeoutSeconds = try seconds(value, flag)
            case "--settle": options.settleSeconds = try seconds(value, flag, allowZero: true)
            case "--max-load": options.maxLoad = try seconds(value, flag)
            case "--load-wait": options.loadWaitSeconds = try seconds(value, flag, allowZero: true)
            case "--orca-bin-dir": options.orcaBinDir = value
            case "--json": options.json = value
            default: throw BenchError("unknown flag \(flag)\n\(usage)")
            }
        }
        return options
    }

    private static func seconds(_ value: String, _ flag: String, allowZero: Bool = false) throws -> Double {
        guard let number = Double(value), allowZero ? number >= 0 : number > 0 else {
            throw BenchError("\(flag): \"\(value)\" is not a \(allowZero ? "non-negative" : "positive") number")
        }
        return number
    }
}
