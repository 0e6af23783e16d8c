package dev.ingot.codegen.jvm;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodModel;
import java.lang.classfile.PseudoInstruction;

/** A compact bytecode listing of a generated class ({@code -Dingot.debug=4}): per method, its size and instructions. */
public final class Listing {
    private Listing() {}

    public static String of(byte[] classBytes) {
        ClassModel cm = ClassFile.of().parse(classBytes);
        StringBuilder sb = new StringBuilder("class ").append(cm.thisClass().asInternalName()).append('\n');
        for (MethodModel m : cm.methods()) {
            int size = m.findAttribute(Attributes.code()).map(c -> c.codeLength()).orElse(0);
            sb.append("  ").append(m.methodName().stringValue()).append(m.methodType().stringValue())
                    .append("  // ").append(size).append(" bytes\n");
            m.code().ifPresent(code -> {
                for (CodeElement e : code) {
                    if (e instanceof Instruction || e instanceof PseudoInstruction && e.toString().startsWith("Label")) {
                        sb.append("    ").append(e).append('\n');
                    }
                }
            });
        }
        return sb.toString();
    }
}
