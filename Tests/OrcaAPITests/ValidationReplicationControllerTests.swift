import Testing
@testable import OrcaAPI

@Suite struct ValidationReplicationControllerTests {
    @Test func theWalkthroughControllerIsValid() {
        #expect(Sample.replicationController().validate() == [])
    }

    @Test func specIsRequired() {
        #expect(lines(Sample.replicationController { $0.spec = nil }.validate()) == ["spec: Required value"])
    }

    @Test func replicasMayNotBeNegative() {
        let rc = Sample.replicationController { $0.spec?.replicas = -1 }
        #expect(lines(rc.validate()) == ["spec.replicas: Invalid value: \"-1\": must be greater than or equal to 0"])
        #expect(Sample.replicationController { $0.spec?.replicas = 0 }.validate() == [])
    }

    @Test func selectorIsRequiredAndValid() {
        let empty = Sample.replicationController { $0.spec?.selector = [:] }
        #expect(lines(empty.validate()) == ["spec.selector: Required value"])
        let bad = Sample.replicationController {
            $0.spec?.selector = ["name": "jenkins slave"]
            $0.spec?.template?.metadata?.labels = ["name": "jenkins slave"]
        }
        #expect(paths(bad.validate()) == ["spec.selector", "spec.template.metadata.labels"])
    }

    @Test func templateIsRequired() {
        let rc = Sample.replicationController { $0.spec?.template = nil }
        #expect(lines(rc.validate()) == ["spec.template: Required value"])
        let noSpec = Sample.replicationController { $0.spec?.template?.spec = nil }
        #expect(lines(noSpec.validate()) == ["spec.template.spec: Required value"])
    }

    @Test func templateLabelsMustMatchTheSelector() {
        let rc = Sample.replicationController { $0.spec?.template?.metadata?.labels = ["name": "other", "tier": "x"] }
        #expect(lines(rc.validate()) == [
            "spec.template.metadata.labels: Invalid value: \"name=other,tier=x\": "
                + "selector does not match template labels",
        ])
        // Extra template labels are fine: the selector only needs to match.
        let extra = Sample.replicationController {
            $0.spec?.template?.metadata?.labels = ["name": "jenkins-slave", "tier": "ci"]
        }
        #expect(extra.validate() == [])
    }

    @Test func templatePodsRestartAlways() {
        let rc = Sample.replicationController { $0.spec?.template?.spec?.restartPolicy = .onFailure }
        #expect(lines(rc.validate()) == [
            "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",
        ])
    }

    @Test func theTemplatePodSpecIsValidatedLikeAPod() {
        var second = Sample.container("helper", image: "busybox")
        second.ports = [ContainerPort(containerPort: 70000)]
        let rc = Sample.replicationController {
            $0.spec?.template?.spec?.containers.append(second)
            $0.spec?.template?.spec?.containers[0].image = nil
        }
        #expect(lines(rc.validate()) == [
            "spec.template.spec.containers[0].image: Required value",
            "spec.template.spec.containers[1].ports[0].containerPort: Invalid value: \"70000\": "
                + "must be between 1 and 65535, inclusive",
        ])
    }

    @Test func everyMistakeIsReportedAtOnce() {
        let rc = Sample.replicationController {
            $0.metadata.name = "Jenkins Slave"
            $0.spec?.replicas = -2
            $0.spec?.template?.metadata?.labels = ["name": "other"]
            $0.spec?.template?.spec?.restartPolicy = .never
            $0.spec?.template?.spec?.containers[0].name = ""
        }
        #expect(paths(rc.validate()) == [
            "metadata.name", "spec.replicas", "spec.template.metadata.labels", "spec.template.spec.containers[0].name",
            "spec.template.spec.restartPolicy",
        ])
    }

    @Test func anUpdateKeepsNameAndNamespace() {
        let old = Sample.replicationController()
        let resized = Sample.replicationController { $0.spec?.replicas = 5 }
        #expect(resized.validateUpdate(from: old) == [])
        let renamed = Sample.replicationController { $0.metadata.name = "other" }
        #expect(paths(renamed.validateUpdate(from: old)) == ["metadata.name"])
    }
}
