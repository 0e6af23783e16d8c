/** Test support shared by all modules: where shared test data lives ({@link dev.ingot.testkit.SharedData}) and logged seeds. */
package dev.ingot.testkit;
