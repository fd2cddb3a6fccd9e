extension V1Beta1 {
    /// The result of a request that returns no object, and the body of every v1beta1 error.
    ///
    /// The same as v1 `Status` except that `details.id` names the object (v1 `details.name`) and
    /// cause fields use v1beta1 paths (`desiredState.manifest.containers[0].image`).
    public struct Status: Codable, Sendable, Equatable {
        public var kind: String? = "Status"
        public var apiVersion: String? = V1Beta1.apiVersion
        /// `Success` or `Failure`.
        public var status: String?
        public var message: String?
        /// `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, ... (as v1).
        public var reason: String?
        public var details: StatusDetails?
        public var code: Int?

        public init(status: String?, message: String?, reason: String?, details: StatusDetails?, code: Int?) {
            self.status = status
            self.message = message
            self.reason = reason
            self.details = details
            self.code = code
        }
    }

    public struct StatusDetails: Codable, Sendable, Equatable {
        /// The object's name (v1 `details.name`).
        public var id: String?
        public var kind: String?
        public var causes: [StatusCause]?

        public init(id: String? = nil, kind: String? = nil, causes: [StatusCause]? = nil) {
            self.id = id
            self.kind = kind
            self.causes = causes
        }
    }
}
