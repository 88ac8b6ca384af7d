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
    // a model of the recommended variant before ρ, L_nbr, L_inst and the weights of L_cor and L_c existed: it was
    // trained with ρ 1, neither L_nbr nor L_inst, L_cor and L_c at weight 1
    BiCmrConfig.Objective o = BiCmrConfig.recommended(64).objective();
    BiCmrConfig config = BiCmrConfig.recommended(64).with(new BiCmrConfig.Objective(o.reduction(),
        o.reconstruction(), o.correlation(), o.classifier(), o.similarity(), o.inclusive(), o.labelCodeSigns(),
        o.alpha(), o.beta(), o.gamma(), o.delta(), o.lambda(), o.eta(), o.labelPass(), o.pairs(), o.quantisation(),
        o.balance(), 0, 0, 0.1, false, 1, 1, 1, true, true, true, true, true));
    JsonObject json = new Gson().toJsonTree(new TrainedModel.Meta("d", 4, 3, 2, config, List.of(), 1.0))
        .getAsJsonObject();
    JsonObject objective = json.getAsJsonObject("config").getAsJsonObject("objective");
    objective.remove("omegaScale");
    objective.remove("neighbours");
    objective.remove("instances");
    objective.remove("instanceTemperature");
    objective.remove("instanceSigns");
    objective.remove("correlationWeight");
    objective.remove("classificationWeight");
    json.getAsJsonObject("config").getAsJsonObject("optimiser").remove("weightDecay");
    Files.writeString(dir.resolve("model.json"), json.toString());
    TrainedModel.Meta read = TrainedModel.meta(dir);
    assertEquals(1.0, read.config().objective().omegaScale());
    assertEquals(0.0, read.config().objective().neighbours());
    assertEquals(0.0, read.config().objective().instances());
    assertEquals(1.0, read.config().objective().correlationWeight());
    assertEquals(1.0, read.config().objective().classificationWeight());
    assertEquals(0.0, read.config().optimiser().weightDecay());
    assertEquals(config, read.config());
  }

  @Test
  void weightsPresentAreKept() throws IOException {
    BiCmrConfig.Objective o = BiCmrConfig.recommended(64).objective();
    BiCmrConfig config = BiCmrConfig.recommended(64).with(new BiCmrConfig.Objective(o.reduction(),
        o.reconstruction(), o.correlation(), o.classifier(), o.similarity(), o.inclusive(), o.labelCodeSigns(),
        o.alpha(), o.beta(), o.gamma(), o.delta(), o.lambda(), o.eta(), o.labelPass(), o.pairs(), o.quantisation(),
        o.balance(), 3, 2, 0.05, false, 0.25, 0.5, 4, true, true, true, true, true));
    Files.writeString(dir.resolve("model.json"),
        new Gson().toJson(new TrainedModel.Meta("d", 4, 3, 2, config, List.of(), 1.0)));
    assertEquals(config, TrainedModel.meta(dir).config());
  }
}
