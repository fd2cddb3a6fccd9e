/// Names for `generateName`: the prefix plus five characters Kubernetes uses (no vowels, so no words).
enum NameGenerator {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func name(prefix: String) -> String {
        var suffix = ""
        for _ in 0..<5 { suffix.append(alphabet.randomElement()!) }
        return String(prefix.prefix(58)) + suffix
    }
}
