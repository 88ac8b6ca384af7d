package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bicmr.training.app.SplitPlan;
import org.bicmr.training.baseline.AgahConfig;
import org.bicmr.training.baseline.DcmhConfig;
import org.bicmr.training.baseline.PrdhConfig;
import org.bicmr.training.baseline.ProjectionConfig;
import org.bicmr.training.baseline.SsahConfig;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.NetShape;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Each method's config is the one source of {@code bicmr train}'s defaults: the options given nothing make exactly
 * the config records' settings, and every default {@code bicmr train --help} shows is the config's value.
 */
class TrainOptionsTest {
  private static final int BITS = TrainOptions.DEFAULT_BITS;

  private static TrainOptions parsed(String... args) {
    TrainOptions options = new TrainOptions();
    TrainOptions.parseInto(options, List.of(args));
    return options;
  }

  @Test
  void noOptionsGiveEachMethodsConfig() {
    TrainOptions none = parsed();
    assertEquals(BiCmrConfig.recommended(BITS), none.config("bicmr"));
    assertEquals(DcmhConfig.paper(BITS), none.config("dcmh"));
    assertEquals(PrdhConfig.paper(BITS), none.config("prdh"));
    assertEquals(SsahConfig.paper(BITS), none.config("ssah"));
    assertEquals(AgahConfig.paper(BITS), none.config("agah"));
    assertEquals(new ProjectionConfig(true, BITS, 42), none.config("linear"));
    assertEquals(new ProjectionConfig(false, BITS, 42), none.config("simhash"));
    assertEquals(SplitPlan.DEFAULT, none.split());
    assertEquals(BiCmrConfig.paper(BITS), parsed("--variant", "paper").config("bicmr"));
    assertEquals(BiCmrConfig.released(16), parsed("--variant", "released", "--bits", "16").config("bicmr"));
    assertEquals(DcmhConfig.paper(32), parsed("--bits", "32").config("dcmh"));
  }

  @Test
  void ssahsNetsAreItsReleasedCodesUnlessAWidthIsGiven() {
    // lelan-li/SSAH: SEMANTIC_EMBED = 512 after CNN-F's fc7 (image), 4,096 then 512 (text), labels → 4,096 → 512
    SsahConfig ssah = (SsahConfig) parsed().config("ssah");
    assertEquals(List.of(512, 4096, 512, 4096), List.of(ssah.nets().imageHidden(), ssah.nets().textHidden1(),
        ssah.nets().textHidden2(), ssah.labelHidden()));
    SsahConfig narrow = (SsahConfig) parsed("--image-hidden", "1024", "--text-hidden", "512,1024").config("ssah");
    assertEquals(List.of(1024, 512, 1024), List.of(narrow.nets().imageHidden(), narrow.nets().textHidden1(),
        narrow.nets().textHidden2()));
    // the other baselines keep Bi-CMR's widths
    NetShape agah = ((AgahConfig) parsed().config("agah")).nets();
    assertEquals(List.of(4096, 1024, 4096), List.of(agah.imageHidden(), agah.textHidden1(), agah.textHidden2()));
  }

  @Test
  void givenOptionsOverrideTheConfig() {
    SsahConfig ssah = (SsahConfig) parsed("--ssah-alpha", "2", "--epochs", "7").config("ssah");
    assertEquals(2, ssah.alpha());
    assertEquals(7, ssah.schedule().epochs());
    assertEquals(SsahConfig.paper(BITS).gamma(), ssah.gamma());
    BiCmrConfig bicmr = (BiCmrConfig) parsed("--alpha", "0.5", "--ablation", "1").config("bicmr");
    assertEquals(0.5, bicmr.objective().alpha());
    assertEquals(1, bicmr.ablation());
  }

  @Test
  void theRecommendedSignsOfLInstGoWithLInst() {
    BiCmrConfig.Objective recommended = bicmr().objective();
    assertEquals(1.0, recommended.instances());
    assertTrue(recommended.instanceSigns());
    BiCmrConfig.Objective off = bicmr("--instances", "0").objective();
    assertEquals(0.0, off.instances());
    assertEquals(false, off.instanceSigns());
    BiCmrConfig.Objective tanh = bicmr("--no-instance-signs").objective();
    assertEquals(1.0, tanh.instances());
    assertEquals(false, tanh.instanceSigns());
    BiCmrConfig.Objective paper = bicmr("--variant", "paper").objective();
    assertEquals(0.0, paper.instances());
    assertEquals(false, paper.instanceSigns());
    assertTrue(bicmr("--variant", "paper", "--instances", "3", "--instance-signs").objective().instanceSigns());
    String refused = assertThrows(IllegalArgumentException.class,
        () -> bicmr("--instances", "0", "--instance-signs")).getMessage();
    assertTrue(refused.contains("instanceSigns") && refused.contains("instances 0"), refused);
  }

  @Test
  void weightDecayReachesBiCmrAndTheBaselinesButNotTheProjections() {
    assertEquals(0.0, bicmr().optimiser().weightDecay());
    assertEquals(0.5, bicmr("--weight-decay", "0.5").optimiser().weightDecay());
    assertEquals(0.25, ((SsahConfig) parsed("--weight-decay", "0.25").config("ssah")).schedule().weightDecay());
    assertEquals("--weight-decay does not apply to --method linear", assertThrows(IllegalArgumentException.class,
        () -> TrainOptions.checkApplies("linear", Set.of("--weight-decay"))).getMessage());
    TrainOptions.checkApplies("bicmr", Set.of("--weight-decay"));
    String refused = assertThrows(IllegalArgumentException.class, () -> bicmr("--weight-decay", "-1")).getMessage();
    assertTrue(refused.contains("weightDecay") && refused.contains("-1"), refused);
  }

  @Test
  void theWeightsOfLCorAndLcAreBiCmrsAndNamedWhenRefused() {
    BiCmrConfig.Objective weighted = bicmr("--cor-weight", "0.5", "--class-weight", "3").objective();
    assertEquals(0.5, weighted.correlationWeight());
    assertEquals(3.0, weighted.classificationWeight());
    assertTrue(weighted.useCor() && weighted.useClassification());
    BiCmrConfig.Objective paper = bicmr("--variant", "paper").objective();
    assertEquals(List.of(1.0, 1.0), List.of(paper.correlationWeight(), paper.classificationWeight()));
    assertEquals("--class-weight does not apply to --method ssah", assertThrows(IllegalArgumentException.class,
        () -> TrainOptions.checkApplies("ssah", Set.of("--class-weight"))).getMessage());
    String refused = assertThrows(IllegalArgumentException.class, () -> bicmr("--class-weight", "-2")).getMessage();
    assertTrue(refused.contains("classificationWeight") && refused.contains("-2"), refused);
  }

  private static BiCmrConfig bicmr(String... args) {
    return (BiCmrConfig) parsed(args).config("bicmr");
  }

  @Test
  void anOptionOfAnotherMethodIsRefused() {
    assertEquals("--alpha does not apply to --method dcmh", assertThrows(IllegalArgumentException.class,
        () -> TrainOptions.checkApplies("dcmh", Set.of("--alpha"))).getMessage());
    assertEquals("--epochs does not apply to --method linear", assertThrows(IllegalArgumentException.class,
        () -> TrainOptions.checkApplies("linear", Set.of("--epochs"))).getMessage());
    TrainOptions.checkApplies("dcmh", Set.of("--dcmh-gamma", "--epochs"));
  }

  /** Every option whose help shows its field's initial value: the value shown is the config's. */
  @Test
  void helpShowsTheConfigsValues() {
    CommandSpec train = Bicmr.commandLine().getSubcommands().get("train").getCommandSpec();
    DcmhConfig dcmh = DcmhConfig.paper(BITS);
    PrdhConfig prdh = PrdhConfig.paper(BITS);
    SsahConfig ssah = SsahConfig.paper(BITS);
    AgahConfig agah = AgahConfig.paper(BITS);
    BiCmrConfig recommended = BiCmrConfig.recommended(BITS);
    Map<String, Object> expected = Map.ofEntries(
        Map.entry("--bits", BITS), Map.entry("--queries", SplitPlan.DEFAULT.queries()),
        Map.entry("--train-size", SplitPlan.DEFAULT.trainSize()), Map.entry("--split-seed", SplitPlan.DEFAULT.seed()),
        Map.entry("--seed", recommended.optimiser().seed()), Map.entry("--ablation", recommended.ablation()),
        Map.entry("--dcmh-gamma", dcmh.gamma()), Map.entry("--dcmh-eta", dcmh.eta()),
        Map.entry("--prdh-gamma", prdh.gamma()), Map.entry("--prdh-eta", prdh.eta()),
        Map.entry("--prdh-lambda", prdh.lambda()),
        Map.entry("--ssah-alpha", ssah.alpha()), Map.entry("--ssah-gamma", ssah.gamma()),
        Map.entry("--ssah-beta", ssah.beta()), Map.entry("--ssah-eta", ssah.eta()),
        Map.entry("--ssah-delta", ssah.delta()), Map.entry("--ssah-label-hidden", ssah.labelHidden()),
        Map.entry("--ssah-label-lr", ssah.labelRate()), Map.entry("--ssah-dis-lr", ssah.discriminatorRate()),
        Map.entry("--agah-alpha", agah.alpha()), Map.entry("--agah-beta", agah.beta()),
        Map.entry("--agah-gamma", agah.gamma()), Map.entry("--agah-eta", agah.eta()),
        Map.entry("--agah-mu", agah.mu()), Map.entry("--agah-lambda", agah.lambda()),
        Map.entry("--agah-margin", agah.margin()), Map.entry("--agah-critic-lr", agah.criticRate()),
        Map.entry("--agah-critic-decay", agah.criticDecay()));
    expected.forEach((option, value) -> {
      String description = String.join(" ", train.findOption(option).description());
      assertEquals(String.valueOf(value), train.findOption(option).defaultValueString(), option);
      assertTrue(description.endsWith("(default: " + value + ")"), option + ": " + description);
    });
  }

  /** The defaults the help states in words (they depend on the method or the variant) are the configs' values. */
  @Test
  void helpTextNamesTheConfigsValues() {
    CommandSpec train = Bicmr.commandLine().getSubcommands().get("train").getCommandSpec();
    BiCmrConfig recommended = BiCmrConfig.recommended(BITS);
    BiCmrConfig paper = BiCmrConfig.paper(BITS);
    BiCmrConfig released = BiCmrConfig.released(BITS);
    NetShape nets = NetShape.paper(BITS, NetShape.Output.LINEAR);
    NetShape ssahNets = SsahConfig.paper(BITS).nets();
    BiCmrConfig.Objective o = recommended.objective();
    Map<String, String> stated = Map.ofEntries(
        Map.entry("--epochs", "recommended " + recommended.optimiser().epochs() + ", paper and released "
            + paper.optimiser().epochs() + "), " + DcmhConfig.paper(BITS).schedule().epochs() + " for dcmh, prdh and ssah, "
            + AgahConfig.paper(BITS).schedule().epochs() + " for agah"),
        Map.entry("--batch", "(default: " + DcmhConfig.paper(BITS).schedule().batchSize() + ")"),
        Map.entry("--image-hidden", "(default: " + nets.imageHidden() + "; ssah " + ssahNets.imageHidden() + ","),
        Map.entry("--text-hidden", "(default: " + nets.textHidden1() + "," + nets.textHidden2() + "; ssah "
            + ssahNets.textHidden1() + "," + ssahNets.textHidden2() + ";"),
        Map.entry("--label-hidden", "the variant's, " + recommended.widths().label().get(0) + "; released "
            + released.widths().label().get(0) + "," + released.widths().label().get(1) + ")"),
        Map.entry("--ssr-hidden", "(default: " + recommended.widths().ssr() + ")"),
        Map.entry("--halve-every", "(default: " + recommended.optimiser().halveEvery() + ")"),
        Map.entry("--beta1", "(default: " + plain(recommended.optimiser().beta1()) + "; released "
            + plain(released.optimiser().beta1()) + ")"),
        Map.entry("--alpha", "(default: " + plain(o.alpha()) + ")"),
        Map.entry("--beta", "(default: " + plain(o.beta()) + ")"),
        Map.entry("--gamma", "(default: " + plain(o.gamma()) + ")"),
        Map.entry("--delta", "(default: " + plain(o.delta()) + ")"),
        Map.entry("--lambda", "(default: " + plain(o.lambda()) + ")"),
        Map.entry("--eta", "(default: " + plain(o.eta()) + ")"),
        Map.entry("--pairs", "(default: recommended " + plain(o.pairs()) + ", otherwise " + plain(paper.objective()
            .pairs()) + ")"),
        Map.entry("--quantisation", "(default: recommended " + plain(o.quantisation()) + ", otherwise "
            + plain(paper.objective().quantisation()) + ")"),
        Map.entry("--balance", "(default: recommended " + plain(o.balance()) + ", otherwise "
            + plain(paper.objective().balance()) + ")"),
        Map.entry("--neighbours", "default: " + plain(o.neighbours()) + ")"),
        Map.entry("--instances", "(default: recommended " + plain(o.instances()) + ", otherwise "
            + plain(paper.objective().instances()) + ")"),
        Map.entry("--instance-temperature", "(default: " + plain(o.instanceTemperature()) + ")"),
        Map.entry("--omega-scale", "(default: " + plain(o.omegaScale()) + ", as printed"),
        Map.entry("--cor-weight", "(default: " + plain(o.correlationWeight()) + ", as printed)"),
        Map.entry("--class-weight", "(default: " + plain(o.classificationWeight()) + ", as printed)"),
        Map.entry("--weight-decay", "AdamW's (default: " + plain(BiCmrConfig.recommended(BITS).optimiser()
            .weightDecay()) + "); baselines"));
    stated.forEach((option, text) -> {
      String description = String.join(" ", train.findOption(option).description());
      assertTrue(description.contains(text), option + ": expected \"" + text + "\" in: " + description);
    });
    String decay = String.join(" ", train.findOption("--weight-decay").description());
    assertTrue(decay.contains("; " + plain(SsahConfig.paper(BITS).schedule().weightDecay()) + " for ssah)"), decay);
  }

  /** 0.01, 0.4, 20, 1: a value as the help writes it. */
  private static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
