extension Pod {
    /// Fills in the pod spec's defaults (see ``PodSpec/setDefaults()``).
    public mutating func setDefaults() {
        spec?.setDefaults()
    }
}
