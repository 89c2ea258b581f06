package dev.tuneforge.app.account;

import static com.vaadin.flow.spring.security.VaadinSecurityConfigurer.vaadin;

import dev.tuneforge.app.account.ui.LoginView;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The browser's security: Vaadin's rules with our login view, form login against local accounts.
 * The node API has its own chain in the node feature, ordered before this one.
 */
@Configuration
@EnableMethodSecurity
class SecurityConfig {

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  @Order(10)
  SecurityFilterChain browserSecurity(HttpSecurity http) throws Exception {
    // Plain MVC endpoints beside the Vaadin views; Vaadin's rules deny anything else.
    http.authorizeHttpRequests(
        auth ->
            auth.requestMatchers(
                    "/finetunes/*/adapter.zip", "/finetunes/*/model.zip", "/finetunes/*/merged.zip")
                .authenticated());
    return http.with(vaadin(), vaadin -> vaadin.loginView(LoginView.class)).build();
  }
}
