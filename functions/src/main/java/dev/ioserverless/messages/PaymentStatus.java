package dev.ioserverless.messages;

/** IO's {@code PaymentStatus}: whether the payment notice of an ADVANCED message was paid. */
public enum PaymentStatus {
    PAID,
    NOT_PAID
}
