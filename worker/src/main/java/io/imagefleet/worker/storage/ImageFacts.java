package io.imagefleet.worker.storage;

/** What the bytes of a downloaded image really are, read from the bytes themselves. */
public record ImageFacts(
    String contentType, String extension, int width, int height, String sha256, long bytes) {}
