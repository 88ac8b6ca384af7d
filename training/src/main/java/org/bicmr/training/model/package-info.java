/**
 * Bi-CMR's networks and training in DJL: configurations of the paper's, the released and the recommended variant,
 * the image, text and label nets, the objective ({@link org.bicmr.training.model.BiCmrLoss}: SSR, L_m2l, L_l2m, L_cor,
 * L_c, the similarity forms, the terms of the recommended variant and L_nbr / L_inst, in each variant's reduction),
 * the trainer with its checkpoints and epoch selection on the validation split, the saved model directory, the nets
 * the baselines share, and the two types every method implements: {@link org.bicmr.training.model.Trainer} (one
 * training, whatever the method) and {@link org.bicmr.training.model.TrainingConfig} (a method's settings, the one
 * source of its defaults, which makes its trainer). Uses DJL and the data package. (The objective lived in a package
 * of its own, which the model package and it both imported: one package now, no cycle.)
 */
package org.bicmr.training.model;
