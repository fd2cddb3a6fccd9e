extension Node {
    /// Nodes have nothing to default: the minion reports what it has.
    public mutating func setDefaults() {}
}
