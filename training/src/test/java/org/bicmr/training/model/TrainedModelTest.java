package org.bicmr.training.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading model.json: a model written before ρ and L_nbr existed reads as it was trained (ρ = 1, no L_nbr). */
class TrainedModelTest {
  @TempDir Path dir;

  @Test
  void weightsAbsentFromOlderModelsReadAsTheyWereTrained() throws IOException {
    // a model of the recommended variant before ρ, L_nbr and L_inst existed: it was trained with ρ 1 and neither
    BiCmrConfig.Objective o = BiCmrConfig.recommended(64).objective();
    BiCmrConfig config = BiCmrConfig.recommended(64).with(new BiCmrConfig.Objective(o.reduction(),
        o.reconstruction(), o.correlation(), o.classifier(), o.similarity(), o.inclusive(), o.labelCodeSigns(),
        o.alpha(), o.beta(), o.gamma(), o.delta(), o.lambda(), o.eta(), o.labelPass(), o.pairs(), o.quantisation(),
        o.balance(), 0, 0, 0.1, false, 1, true, true, true, true, true));
    JsonObject json = new Gson().toJsonTree(new TrainedModel.Meta("d", 4, 3, 2, config, List.of(), 1.0))
        .getAsJsonObject();
    JsonObject objective = json.getAsJsonObject("config").getAsJsonObject("objective");
    objective.remove("omegaScale");
    objective.remove("neighbours");
    objective.remove("instances");
    objective.remove("instanceTemperature");
    objective.remove("instanceSigns");
    json.getAsJsonObject("config").getAsJsonObject("optimiser").remove("weightDecay");
    Files.writeString(dir.resolve("model.json"), json.toString());
    TrainedModel.Meta read = TrainedModel.meta(dir);
    assertEquals(1.0, read.config().objective().omegaScale());
    assertEquals(0.0, read.config().objective().neighbours());
    assertEquals(0.0, read.config().objective().instances());
    assertEquals(0.0, read.config().optimiser().weightDecay());
    assertEquals(config, read.config());
  }

  @Test
  void weightsPresentAreKept() throws IOException {
    BiCmrConfig.Objective o = BiCmrConfig.recommended(64).objective();
    BiCmrConfig config = BiCmrConfig.recommended(64).with(new BiCmrConfig.Objective(o.reduction(),
        o.reconstruction(), o.correlation(), o.classifier(), o.similarity(), o.inclusive(), o.labelCodeSigns(),
        o.alpha(), o.beta(), o.gamma(), o.delta(), o.lambda(), o.eta(), o.labelPass(), o.pairs(), o.quantisation(),
        o.balance(), 3, 2, 0.05, false, 0.25, true, true, true, true, true));
    Files.writeString(dir.resolve("model.json"),
        new Gson().toJson(new TrainedModel.Meta("d", 4, 3, 2, config, List.of(), 1.0)));
    assertEquals(config, TrainedModel.meta(dir).config());
  }
}
