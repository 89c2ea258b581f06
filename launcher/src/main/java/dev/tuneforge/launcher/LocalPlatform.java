package dev.tuneforge.launcher;

public final class LocalPlatform {
  public static void main(String[] args) {}
}
