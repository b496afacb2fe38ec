/*
 * kms:help -Ddetail, resolved through the goal prefix "kms": lists the goals, and shows that every
 * parameter of generate, convert and verify has a user property kms.<parameter name> (the contract).
 */
File buildLog = new File(basedir, 'build.log')
assert buildLog.isFile()
List<String> lines = buildLog.readLines('UTF-8')

assert lines.any { it.startsWith('[INFO] KMS Gate Maven Plugin ') }
['kms:generate', 'kms:convert', 'kms:verify', 'kms:regression', 'kms:status', 'kms:plan', 'kms:report', 'kms:help'].each { goal ->
    assert lines.contains(goal): "help lists no goal ${goal}"
}
assert lines.contains('[INFO] BUILD SUCCESS')

// goal -> parameter -> user property, from the detailed listing
Map<String, Map<String, String>> goals = [:]
String goal = null
String parameter = null
lines.each { text ->
    def g = text =~ /^kms:(\w+)$/
    def p = text =~ /^    (\w+)( \(Default: .*\))?$/
    def u = text =~ /^      User property: (\S+)$/
    if (g.matches()) {
        goal = g.group(1)
        goals[goal] = [:]
        parameter = null
    } else if (goal != null && p.matches()) {
        parameter = p.group(1)
        goals[goal][parameter] = null
    } else if (parameter != null && u.matches()) {
        goals[goal][parameter] = u.group(1)
    }
}

assert goals.generate.keySet() == ['database', 'databaseServerId', 'duplicateRevocations', 'orphanCertificates', 'orphanKeys',
        'orphanRevocations', 'overwrite', 'revoked', 'seed', 'skip', 'users'] as Set
assert goals.convert.keySet() == ['converter', 'progressSeconds', 'restart', 'skip', 'source', 'sourceServerId', 'strategy', 'target',
        'targetServerId', 'transactionCapacity'] as Set
assert goals.verify.keySet() == ['checkConversionRecord', 'mismatchLimit', 'progressSeconds', 'reportsDirectory', 'skip', 'source',
        'sourceServerId', 'target', 'targetServerId'] as Set
assert goals.regression.keySet() == ['argLine', 'cache', 'cacheDirectory', 'cacheSizeLimit', 'cases', 'converter', 'fork', 'largeMultiple',
        'mismatchLimit', 'progressSeconds', 'reportsDirectory', 'rerun', 'resumeTrials', 'scalingProof', 'seed', 'shard', 'skip', 'strategy', 'threads',
        'transactionCapacity', 'workDirectory'] as Set
assert goals.status.keySet() == ['skip', 'target', 'targetServerId'] as Set
assert goals.plan.keySet() == ['skip', 'source', 'sourceServerId', 'strategy', 'transactionCapacity'] as Set
['generate', 'convert', 'verify', 'status', 'plan'].each { name ->
    goals[name].each { param, property ->
        assert property == "kms.${param}": "kms:${name} parameter ${param} has user property ${property}"
    }
}

// the documented defaults
assert lines.contains('    transactionCapacity (Default: 1000)')
assert lines.contains('    strategy (Default: chunked)')
assert lines.contains('    skip (Default: false)')
assert lines.contains('    fork (Default: true)')
assert lines.contains('    argLine (Default: -XX:TieredStopAtLevel=1 -XX:+UseParallelGC -XX:MaxRAM=4g)')
assert lines.contains('    cache (Default: true)')
assert lines.contains('    rerun (Default: false)')
assert lines.contains('    cacheSizeLimit (Default: 2048)')
assert lines.contains('    scalingProof (Default: true)')
['cache', 'rerun', 'cacheDirectory', 'cacheSizeLimit', 'scalingProof'].each { param ->
    assert goals.regression[param] == "kms.${param}": "kms:regression parameter ${param} has user property ${goals.regression[param]}"
}

return true
