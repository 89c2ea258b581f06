package dev.tuneforge.app.base.ui;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.theme.lumo.Lumo;

/** Server push keeps job status and loss charts live without polling. */
@Push
@StyleSheet(Lumo.STYLESHEET)
public class AppShell implements AppShellConfigurator {}
