package dev.tuneforge.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class TuneforgeApplication {
  public static void main(String[] args) {
    SpringApplication.run(TuneforgeApplication.class, args);
  }
}
