package io.imagefleet.sandbox.upstream;

import java.util.Optional;

/** A way a create or query call can go wrong on purpose: an HTTP error status, or no answer at all. */
enum FaultKind {
    INSUFFICIENT_QUOTA(402, "insufficient_quota", "Your credit balance is too low for this request."),
    RATE_LIMITED(429, "rate_limit_exceeded", "Rate limit reached for this model; retry later."),
    INTERNAL_ERROR(500, "internal_error", "The server had an error while processing your request."),
    BAD_GATEWAY(502, "bad_gateway", "Bad gateway."),
    SERVICE_UNAVAILABLE(503, "service_unavailable", "The service is temporarily unavailable."),
    /** The connection is held open and never answered. */
    HANG(0, null, null);

    private final int status;
    private final String code;
    private final String message;

    FaultKind(int status, String code, String message) {
        this.status = status;
        this.code = code;
        this.message = message;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String message() {
        return message;
    }

    /** Parses the value of a prompt marker: a status number or {@code hang}. */
    static Optional<FaultKind> fromMarker(String text) {
        if ("hang".equals(text)) {
            return Optional.of(HANG);
        }
        for (FaultKind kind : values()) {
            if (kind != HANG && Integer.toString(kind.status).equals(text)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
