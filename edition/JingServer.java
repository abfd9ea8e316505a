// Jing kept running through a build and between builds (edition/warmjing.py): tei_all is
// loaded once, while the build converts, and each batch of files is checked without a JVM's
// start and the schema's load (~0.3 s of each check).
//
// Started as "java -cp jing.jar:CLASSES JingServer SCHEMA", it says "ready" once the schema
// is loaded, then reads lines "LIST<TAB>REPORT": it checks each file named in LIST (UTF-8, a
// path a line), writes Jing's own messages ("file:line:col: error: ...") to REPORT and says
// "valid" or "invalid" (Jing's exit code). Anything it cannot do ends it; the caller then
// runs Jing anew, as ever. It ends when its input does.

import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.ValidationDriver;
import com.thaiopensource.xml.sax.ErrorHandlerImpl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

public class JingServer {
    /** Passes Jing's messages to the report of the batch under way. */
    static final class Forward implements ErrorHandler {
        ErrorHandlerImpl to;

        public void warning(SAXParseException e) throws SAXException { to.warning(e); }
        public void error(SAXParseException e) { to.error(e); }
        public void fatalError(SAXParseException e) throws SAXException { to.fatalError(e); }
    }

    public static void main(String[] args) throws Exception {
        Forward forward = new Forward();
        forward.to = new ErrorHandlerImpl(System.err);
        PropertyMapBuilder properties = new PropertyMapBuilder();
        properties.put(ValidateProperty.ERROR_HANDLER, forward);
        ValidationDriver driver = new ValidationDriver(properties.toPropertyMap());
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (!driver.loadSchema(ValidationDriver.fileInputSource(args[0]))) {
            System.exit(1);
        }
        out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split("\t", 2);
            try (OutputStream report = Files.newOutputStream(Paths.get(parts[1]))) {
                forward.to = new ErrorHandlerImpl(report);
                boolean valid = true;
                for (String file : Files.readAllLines(Paths.get(parts[0]), StandardCharsets.UTF_8)) {
                    try {
                        valid &= driver.validate(ValidationDriver.fileInputSource(file));
                    } catch (SAXException | IOException e) {
                        forward.to.printException(e);  // as Jing's own command line reports it
                        valid = false;
                    }
                }
                forward.to.close();
                out.println(valid ? "valid" : "invalid");  // Jing's exit code, 0 or 1
            }
        }
    }
}
