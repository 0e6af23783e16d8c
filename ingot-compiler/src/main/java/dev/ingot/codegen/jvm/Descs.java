package dev.ingot.codegen.jvm;

import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;

/** Class and method descriptors the generated code refers to. */
final class Descs {
    private Descs() {}

    static final ClassDesc FV = ClassDesc.of("jdk.incubator.vector.FloatVector");
    static final ClassDesc VECTOR = ClassDesc.of("jdk.incubator.vector.Vector");
    static final ClassDesc SPECIES = ClassDesc.of("jdk.incubator.vector.VectorSpecies");
    static final ClassDesc MASK = ClassDesc.of("jdk.incubator.vector.VectorMask");
    static final ClassDesc OPS = ClassDesc.of("jdk.incubator.vector.VectorOperators");
    static final ClassDesc OPS_UNARY = ClassDesc.of("jdk.incubator.vector.VectorOperators$Unary");
    static final ClassDesc OPS_ASSOC = ClassDesc.of("jdk.incubator.vector.VectorOperators$Associative");
    static final ClassDesc OPS_CMP = ClassDesc.of("jdk.incubator.vector.VectorOperators$Comparison");
    static final ClassDesc SEGMENT = ClassDesc.of("java.lang.foreign.MemorySegment");
    static final ClassDesc VALUE_LAYOUT = ClassDesc.of("java.lang.foreign.ValueLayout");
    static final ClassDesc OF_FLOAT = ClassDesc.of("java.lang.foreign.ValueLayout$OfFloat");
    static final ClassDesc BYTE_ORDER = ClassDesc.of("java.nio.ByteOrder");
    static final ClassDesc MATH = ClassDesc.of("java.lang.Math");
    // by name: a class literal would load Intrinsics, which needs jdk.incubator.vector
    static final ClassDesc INTRINSICS = ClassDesc.of("dev.ingot.codegen.jvm.Intrinsics");
    static final ClassDesc SCALAR_MATH = ClassDesc.of("dev.ingot.codegen.jvm.ScalarMath");
    static final ClassDesc FLOAT_ARRAY = ConstantDescs.CD_float.arrayType();
    static final ClassDesc INT_ARRAY = ConstantDescs.CD_int.arrayType();

    static final MethodTypeDesc V_V = MethodTypeDesc.of(FV, VECTOR);
    static final MethodTypeDesc V_VV = MethodTypeDesc.of(FV, VECTOR, VECTOR);
    static final MethodTypeDesc V_ = MethodTypeDesc.of(FV);
    static final MethodTypeDesc V_UNARY = MethodTypeDesc.of(FV, FV);
    static final MethodTypeDesc F_F = MethodTypeDesc.of(ConstantDescs.CD_float, ConstantDescs.CD_float);
    static final MethodTypeDesc F_FF = MethodTypeDesc.of(ConstantDescs.CD_float, ConstantDescs.CD_float, ConstantDescs.CD_float);
    static final MethodTypeDesc F_FFF = MethodTypeDesc.of(ConstantDescs.CD_float, ConstantDescs.CD_float,
            ConstantDescs.CD_float, ConstantDescs.CD_float);
    static final MethodTypeDesc FROM_ARRAY = MethodTypeDesc.of(FV, SPECIES, FLOAT_ARRAY, ConstantDescs.CD_int);
    static final MethodTypeDesc GATHER = MethodTypeDesc.of(FV, SPECIES, FLOAT_ARRAY, ConstantDescs.CD_int, INT_ARRAY, ConstantDescs.CD_int);
    static final MethodTypeDesc SCATTER = MethodTypeDesc.of(ConstantDescs.CD_void, FLOAT_ARRAY, ConstantDescs.CD_int, INT_ARRAY, ConstantDescs.CD_int);
    static final MethodTypeDesc STRIDE_MAP = MethodTypeDesc.of(INT_ARRAY, ConstantDescs.CD_int, ConstantDescs.CD_int);
    static final MethodTypeDesc INTO_ARRAY = MethodTypeDesc.of(ConstantDescs.CD_void, FLOAT_ARRAY, ConstantDescs.CD_int);
    static final MethodTypeDesc FROM_SEGMENT = MethodTypeDesc.of(FV, SPECIES, SEGMENT, ConstantDescs.CD_long, BYTE_ORDER);
    static final MethodTypeDesc SEGMENT_GET = MethodTypeDesc.of(ConstantDescs.CD_float, OF_FLOAT, ConstantDescs.CD_long);
    static final MethodTypeDesc BROADCAST = MethodTypeDesc.of(FV, SPECIES, ConstantDescs.CD_float);
    static final MethodTypeDesc ZERO = MethodTypeDesc.of(FV, SPECIES);
    static final MethodTypeDesc REDUCE = MethodTypeDesc.of(ConstantDescs.CD_float, OPS_ASSOC);
    static final MethodTypeDesc COMPARE = MethodTypeDesc.of(MASK, OPS_CMP, VECTOR);
    static final MethodTypeDesc BLEND = MethodTypeDesc.of(FV, VECTOR, MASK);
    static final MethodTypeDesc SPECIES_OF = MethodTypeDesc.of(SPECIES, ConstantDescs.CD_int);
    static final MethodTypeDesc IOTA = MethodTypeDesc.of(FV, SPECIES);
}
