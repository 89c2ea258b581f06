package dev.tuneforge.protocol;

/**
 * What a node offers: its accelerator ({@code cpu} or {@code cuda}), the device's name, the memory
 * training may use in bytes, and CPU cores.
 */
public record NodeResources(String device, String deviceName, long memoryBytes, int cpuCores) {}
