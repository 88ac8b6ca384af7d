package org.bicmr.codes;

import java.util.regex.Pattern;

/**
 * The rule for model names, which name a bundle's directory, a mapping's model, a processor's and a query's: plain
 * identifiers, {@value #PATTERN} — lower-case letters, digits, '_', '.', '-', not starting with a punctuation mark — so
 * a name can never step outside the models directory or differ from another only in case.
 */
public final class ModelName {
  /** The pattern every model name matches. */
  public static final String PATTERN = "[a-z0-9][a-z0-9_.-]*";

  private static final Pattern COMPILED = Pattern.compile(PATTERN);

  private ModelName() {}

  /** Whether {@code name} is a legal model name (null is not). */
  public static boolean isValid(String name) {
    return name != null && COMPILED.matcher(name).matches();
  }

  /**
   * {@code name}, if it is a legal model name.
   *
   * @param what what the name is given as, for the message (e.g. "[bicmr_hash] model")
   * @throws IllegalArgumentException naming {@code what}, the rule and the value
   */
  public static String check(String what, String name) {
    if (isValid(name) == false) {
      throw new IllegalArgumentException(what + " must be a plain identifier (" + PATTERN + "), got ["
          + name + "]");
    }
    return name;
  }
}
