package org.bicmr.training.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.eval.Direction;

/**
 * What {@link Evaluation#evaluate} evaluates and where it writes the report.
 *
 * @param data the dataset directory the models were trained on
 * @param models the model directories
 * @param methods each model's name in the reports, or empty for the names from their settings
 * @param out the report directory: {@code report.json}, {@code tables.md}, plots
 * @param directions the directions ranked
 * @param realValued also rank by the cosine of the nets' outputs before the sign
 * @param on which items query and which are ranked
 */
public record EvaluateRequest(Path data, List<Path> models, List<String> methods, Path out,
    List<Direction> directions, boolean realValued, Protocol on) {

  /** Which items query and which are ranked. */
  public enum Protocol {
    /** The held-out queries against the database. */
    QUERIES,
    /** The validation items against the items trained on, for choosing a setting without looking at the queries. */
    VALIDATION;

    /** The split whose queries and database are the ones this protocol ranks. */
    public DatasetSplit of(DatasetSplit split, Path model) {
      if (this == QUERIES) {
        return split;
      }
      if (split.validation().length == 0) {
        throw new IllegalArgumentException("--on validation: model " + model + " holds out no validation items "
            + "(trained with --validation 0, or with --refit on every training item, or before validation existed)");
      }
      return new DatasetSplit(split.seed(), split.size(), split.validation(), split.fit(), split.fit(), new int[0]);
    }
  }

  public EvaluateRequest {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(on, "on");
    models = List.copyOf(models);
    methods = List.copyOf(methods);
    directions = List.copyOf(directions);
    if (methods.isEmpty() == false && methods.size() != models.size()) {
      throw new IllegalArgumentException("--method: give one name per --model (" + models.size() + "), got "
          + methods.size());
    }
  }
}
