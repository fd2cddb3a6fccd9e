import Foundation
import Testing
@testable import OrcaAPI

@Suite struct ValidationPodTests {
    @Test func theWalkthroughPodIsValid() {
        #expect(Sample.pod().validate() == [])
    }

    // MARK: metadata

    @Test func nameOrGenerateNameIsRequired() {
        let pod = Sample.pod { $0.metadata.name = nil }
        #expect(lines(pod.validate()) == ["metadata.name: Required value: name or generateName is required"])
        let generated = Sample.pod {
            $0.metadata.name = nil
            $0.metadata.generateName = "jenkins-slave-"
        }
        #expect(generated.validate() == [])
    }

    @Test func namesAreDNSSubdomains() {
        let pod = Sample.pod { $0.metadata.name = "Jenkins_1" }
        let errors = pod.validate()
        #expect(paths(errors) == ["metadata.name"])
        #expect(errors.first?.kind == .invalid)
        #expect(errors.first?.message.hasPrefix(
            "Invalid value: \"Jenkins_1\": a lowercase RFC 1123 subdomain must consist of") == true)
        #expect(Sample.pod { $0.metadata.name = "jenkins.v2" }.validate() == [])
        let long = String(repeating: "a", count: 254)
        #expect(lines(Sample.pod { $0.metadata.name = long }.validate())
            == ["metadata.name: Invalid value: \"\(long)\": must be no more than 253 characters"])
    }

    @Test func generateNameIsCheckedAsAPrefix() {
        let pod = Sample.pod {
            $0.metadata.name = nil
            $0.metadata.generateName = "Jenkins-"
        }
        #expect(paths(pod.validate()) == ["metadata.generateName"])
    }

    @Test func namespaceIsRequiredAndALabel() {
        #expect(lines(Sample.pod { $0.metadata.namespace = nil }.validate()) == ["metadata.namespace: Required value"])
        let errors = Sample.pod { $0.metadata.namespace = "my.team" }.validate()
        #expect(lines(errors) == ["metadata.namespace: Invalid value: \"my.team\": \(labelMessage)"])
    }

    @Test func labelKeysAndValuesAreChecked() {
        let pod = Sample.pod {
            $0.metadata.labels = ["name": "jenkins", "bad key": "x", "/app": "web",
                                  "example.com/tier": String(repeating: "v", count: 64)]
        }
        #expect(lines(pod.validate()) == [
            "metadata.labels: Invalid value: \"/app\": prefix part must be non-empty",
            "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' "
                + "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
                + "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            "metadata.labels: Invalid value: \"\(String(repeating: "v", count: 64))\": "
                + "must be no more than 63 characters",
        ])
    }

    @Test func annotationKeysAreQualifiedNamesAndTheTotalIsBounded() {
        let pod = Sample.pod { $0.metadata.annotations = ["a/b/c": "x", "Example.Com/Note": "fine", "ok": "y"] }
        let errors = pod.validate()
        #expect(paths(errors) == ["metadata.annotations"])
        #expect(errors.first?.message.hasPrefix("Invalid value: \"a/b/c\": a qualified name must consist of") == true)
        let big = Sample.pod { $0.metadata.annotations = ["note": String(repeating: "x", count: 256 * 1024)] }
        #expect(lines(big.validate()) == ["metadata.annotations: Too long: must have at most 262144 bytes"])
    }

    // MARK: containers

    @Test func containersAreRequired() {
        #expect(lines(Sample.pod { $0.spec?.containers = [] }.validate()) == ["spec.containers: Required value"])
        #expect(lines(Sample.pod { $0.spec = nil }.validate()) == ["spec: Required value"])
    }

    @Test func containerNamesAreRequiredLabelsAndUnique() {
        let pod = Sample.pod {
            $0.spec?.containers += [Sample.container(""), Sample.container("Web_1"), Sample.container("jenkins")]
        }
        #expect(lines(pod.validate()) == [
            "spec.containers[1].name: Required value",
            "spec.containers[2].name: Invalid value: \"Web_1\": \(labelMessage)",
            "spec.containers[3].name: Duplicate value: \"jenkins\"",
        ])
    }

    @Test func imageIsRequired() {
        let pod = Sample.pod {
            $0.spec?.containers += [Sample.container("a", image: nil), Sample.container("b", image: ""),
                                    Sample.container("c", image: " busybox")]
        }
        #expect(lines(pod.validate()) == [
            "spec.containers[1].image: Required value",
            "spec.containers[2].image: Required value",
            "spec.containers[3].image: Invalid value: \" busybox\": must not have leading or trailing whitespace",
        ])
    }

    @Test func portNumbersAreInRange() {
        let pod = Sample.pod {
            $0.spec?.containers[0].ports = [
                ContainerPort(containerPort: 0), ContainerPort(containerPort: 65536),
                ContainerPort(containerPort: 80, hostPort: 70000), ContainerPort(containerPort: 81, hostPort: 0),
                ContainerPort(containerPort: 65535, hostPort: 1),
            ]
        }
        #expect(lines(pod.validate()) == [
            "spec.containers[0].ports[0].containerPort: Required value",
            "spec.containers[0].ports[1].containerPort: Invalid value: \"65536\": "
                + "must be between 1 and 65535, inclusive",
            "spec.containers[0].ports[2].hostPort: Invalid value: \"70000\": must be between 1 and 65535, inclusive",
        ])
    }

    @Test func portProtocolIsTCPOrUDP() {
        let pod = Sample.pod {
            $0.spec?.containers[0].ports?[1].protocol = PortProtocol(rawValue: "SCTP")
        }
        #expect(lines(pod.validate()) == [
            "spec.containers[0].ports[1].protocol: Unsupported value: \"SCTP\": supported values: \"TCP\", \"UDP\"",
        ])
        #expect(Sample.pod { $0.spec?.containers[0].ports?[1].protocol = .udp }.validate() == [])
    }

    @Test func portNamesAreIANANamesUniqueInThePod() {
        var web = Sample.container("web", image: "nginx")
        web.ports = [ContainerPort(name: "http", containerPort: 80), ContainerPort(name: "HTTP", containerPort: 81),
                     ContainerPort(name: "a-very-long-port-name", containerPort: 82)]
        let pod = Sample.pod { $0.spec?.containers.append(web) }
        #expect(lines(pod.validate()) == [
            "spec.containers[1].ports[0].name: Duplicate value: \"http\"",
            "spec.containers[1].ports[1].name: Invalid value: \"HTTP\": "
                + "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "spec.containers[1].ports[1].name: Invalid value: \"HTTP\": must contain at least one letter (a-z)",
            "spec.containers[1].ports[2].name: Invalid value: \"a-very-long-port-name\": "
                + "must be no more than 15 characters",
        ])
    }

    @Test func aHostPortAndProtocolMayBeUsedOnceInThePod() {
        var web = Sample.container("web", image: "nginx")
        web.ports = [ContainerPort(containerPort: 80, hostPort: 8080),
                     ContainerPort(containerPort: 81, hostPort: 8080, protocol: .udp)]
        let pod = Sample.pod { $0.spec?.containers.append(web) }
        #expect(lines(pod.validate()) == ["spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP/8080\""])
    }

    @Test func envVarNamesAreRequiredAndValid() {
        let pod = Sample.pod {
            $0.spec?.containers[0].env = [EnvVar(name: "", value: "x"), EnvVar(name: "1ABC", value: "x"),
                                          EnvVar(name: "my.env-name", value: nil)]
        }
        let errors = pod.validate()
        #expect(paths(errors) == ["spec.containers[0].env[0].name", "spec.containers[0].env[1].name"])
        #expect(errors[0].message == "Required value")
        #expect(errors[1].message.hasPrefix(
            "Invalid value: \"1ABC\": a valid environment variable name must consist of alphabetic characters"))
    }

    @Test func resourcesAreCPUAndMemoryAndNotNegative() {
        let pod = Sample.pod {
            $0.spec?.containers[0].resources = ResourceRequirements(
                limits: ["cpu": Quantity("-1")!, "gpu": Quantity("1")!, "example.com/gpu": Quantity("1")!,
                         "memory": Quantity("64Mi")!],
                requests: ["memory": Quantity("128Mi")!])
        }
        #expect(lines(pod.validate()) == [
            "spec.containers[0].resources.limits[cpu]: Invalid value: \"-1\": must be greater than or equal to 0",
            "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": "
                + "must be a standard resource for containers",
            "spec.containers[0].resources.requests[memory]: Invalid value: \"128Mi\": "
                + "must be less than or equal to memory limit",
        ])
    }

    // MARK: volumes

    @Test func volumeNamesAreRequiredLabelsAndUnique() {
        let pod = Sample.pod {
            $0.spec?.volumes? += [Volume(name: "", emptyDir: EmptyDirVolumeSource()),
                                  Volume(name: "Data", emptyDir: EmptyDirVolumeSource()),
                                  Volume(name: "jenkins-data", hostPath: HostPathVolumeSource(path: "/srv"))]
        }
        #expect(lines(pod.validate()) == [
            "spec.volumes[1].name: Required value",
            "spec.volumes[2].name: Invalid value: \"Data\": \(labelMessage)",
            "spec.volumes[3].name: Duplicate value: \"jenkins-data\"",
        ])
    }

    @Test func aVolumeHasExactlyOneSource() {
        let pod = Sample.pod {
            $0.spec?.volumes? += [Volume(name: "none"),
                                  Volume(name: "both", emptyDir: EmptyDirVolumeSource(),
                                         hostPath: HostPathVolumeSource(path: "/srv")),
                                  Volume(name: "host", hostPath: HostPathVolumeSource(path: ""))]
        }
        #expect(lines(pod.validate()) == [
            "spec.volumes[1]: Required value: must specify a volume type",
            "spec.volumes[2].hostPath: Forbidden: may not specify more than 1 volume type",
            "spec.volumes[3].hostPath.path: Required value",
        ])
    }

    @Test func volumeMountsNameAVolumeAndAUniquePath() {
        let pod = Sample.pod {
            $0.spec?.containers[0].volumeMounts? += [
                VolumeMount(name: "x", mountPath: "/x"), VolumeMount(name: "", mountPath: ""),
                VolumeMount(name: "jenkins-data", mountPath: "/var/jenkins_home"),
            ]
        }
        #expect(lines(pod.validate()) == [
            "spec.containers[0].volumeMounts[1].name: Not found: \"x\"",
            "spec.containers[0].volumeMounts[2].name: Required value",
            "spec.containers[0].volumeMounts[2].mountPath: Required value",
            "spec.containers[0].volumeMounts[3].mountPath: Invalid value: \"/var/jenkins_home\": must be unique",
        ])
        // The same path in two containers is fine: each has its own mount namespace.
        var sidecar = Sample.container("sidecar", image: "busybox")
        sidecar.volumeMounts = [VolumeMount(name: "jenkins-data", mountPath: "/var/jenkins_home")]
        #expect(Sample.pod { $0.spec?.containers.append(sidecar) }.validate() == [])
    }

    // MARK: pod-level fields

    @Test func podLevelFields() {
        let pod = Sample.pod {
            $0.spec?.terminationGracePeriodSeconds = -1
            $0.spec?.dnsPolicy = "Bogus"
            $0.spec?.nodeSelector = ["disk type": "ssd"]
            $0.spec?.nodeName = "Minion_1"
        }
        #expect(paths(pod.validate()) == ["spec.dnsPolicy", "spec.terminationGracePeriodSeconds", "spec.nodeSelector",
                                          "spec.nodeName"])
        #expect(lines(pod.validate())[0]
            == "spec.dnsPolicy: Unsupported value: \"Bogus\": supported values: \"ClusterFirst\", "
            + "\"ClusterFirstWithHostNet\", \"Default\"")
        #expect(lines(pod.validate())[1]
            == "spec.terminationGracePeriodSeconds: Invalid value: \"-1\": must be greater than or equal to 0")
    }

    @Test func anUnknownRestartPolicyIsRejectedWithItsPath() throws {
        let json = #"{"metadata":{"name":"p"},"spec":{"restartPolicy":"Sometimes","containers":[]}}"#
        let error = #expect(throws: APIError.self) { _ = try ManifestDecoder.decode(Pod.self, json: Data(json.utf8)) }
        #expect(error?.code == 400)
        #expect(error?.message == "spec.restartPolicy: Unsupported value: \"Sometimes\": "
            + "supported values: \"Always\", \"OnFailure\", \"Never\"")
        let pull = #"{"name":"c","image":"i","imagePullPolicy":"Sometimes"}"#
        #expect(throws: APIError.self) { _ = try ManifestDecoder.decode(Container.self, json: Data(pull.utf8)) }
        let fine = #"{"metadata":{"name":"p"},"spec":{"restartPolicy":"OnFailure","containers":[]}}"#
        #expect(try ManifestDecoder.decode(Pod.self, json: Data(fine.utf8)).spec?.restartPolicy == .onFailure)
    }

    @Test func everyMistakeIsReportedAtOnce() {
        var bad = Sample.container("Bad_Name", image: nil)
        bad.ports = [ContainerPort(name: "http", containerPort: 0, protocol: PortProtocol(rawValue: "ICMP"))]
        bad.volumeMounts = [VolumeMount(name: "missing", mountPath: "/data")]
        let pod = Sample.pod {
            $0.metadata.name = nil
            $0.metadata.namespace = nil
            $0.spec?.containers.append(bad)
            $0.spec?.terminationGracePeriodSeconds = -5
        }
        let errors = pod.validate()
        #expect(errors.count == 9)
        #expect(paths(errors) == [
            "metadata.name",
            "metadata.namespace",
            "spec.containers[1].name",
            "spec.containers[1].image",
            "spec.containers[1].ports[0].name",
            "spec.containers[1].ports[0].containerPort",
            "spec.containers[1].ports[0].protocol",
            "spec.containers[1].volumeMounts[0].name",
            "spec.terminationGracePeriodSeconds",
        ])
        #expect(errors.map(\.kind) == [.required, .required, .invalid, .required, .duplicate, .required,
                                       .notSupported, .notFound, .invalid])
        let apiError = APIError.invalid(kind: "Pod", name: "", errors)
        #expect(apiError.code == 422)
        #expect(apiError.details?.causes?.count == 9)
    }

    @Test func unsetDefaultableFieldsAreAccepted() {
        // A client may validate before the server defaults: unset protocol and restartPolicy are fine.
        var container = Sample.container()
        container.ports = [ContainerPort(containerPort: 80)]
        let pod = Pod(metadata: ObjectMeta(name: "p", namespace: "default"), spec: PodSpec(containers: [container]))
        #expect(pod.validate() == [])
    }

    // MARK: updates

    @Test func anUpdateMayChangeImagesOnly() {
        let old = Sample.pod()
        let newImage = Sample.pod { $0.spec?.containers[0].image = "csanchez/jenkins-swarm:1.580" }
        #expect(newImage.validateUpdate(from: old) == [])

        let newCommand = Sample.pod { $0.spec?.containers[0].command = ["sh"] }
        #expect(lines(newCommand.validateUpdate(from: old)) == [
            "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image` "
                + "(and `spec.nodeName` while unset)",
        ])
        let newContainer = Sample.pod { $0.spec?.containers.append(Sample.container("sidecar", image: "busybox")) }
        #expect(paths(newContainer.validateUpdate(from: old)) == ["spec"])
    }

    @Test func nodeNameMayBeSetOnceOnly() {
        let unbound = Sample.pod()
        let bound = Sample.pod { $0.spec?.nodeName = "minion-1" }
        #expect(bound.validateUpdate(from: unbound) == [])
        let moved = Sample.pod { $0.spec?.nodeName = "minion-2" }
        #expect(lines(moved.validateUpdate(from: bound))
            == ["spec.nodeName: Invalid value: \"minion-2\": field is immutable"])
        #expect(lines(unbound.validateUpdate(from: bound))
            == ["spec.nodeName: Invalid value: \"\": field is immutable"])
    }

    @Test func anUpdateMayNotRenameOrMoveThePod() {
        let old = Sample.pod { $0.metadata.uid = "u1" }
        let renamed = Sample.pod {
            $0.metadata.name = "jenkins2"
            $0.metadata.namespace = "other"
            $0.metadata.uid = "u2"
        }
        #expect(lines(renamed.validateUpdate(from: old)) == [
            "metadata.name: Invalid value: \"jenkins2\": field is immutable",
            "metadata.namespace: Invalid value: \"other\": field is immutable",
            "metadata.uid: Invalid value: \"u2\": field is immutable",
        ])
        // An update also gets the checks of a new object.
        let broken = Sample.pod { $0.spec?.containers[0].image = "" }
        #expect(paths(broken.validateUpdate(from: old)) == ["spec.containers[0].image"])
    }
}
