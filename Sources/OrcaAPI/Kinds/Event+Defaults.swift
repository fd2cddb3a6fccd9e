extension Event {
    /// An event has happened once, and is Normal, unless it says otherwise.
    public mutating func setDefaults() {
        if count == nil { count = 1 }
        if type == nil || type == "" { type = "Normal" }
    }
}
